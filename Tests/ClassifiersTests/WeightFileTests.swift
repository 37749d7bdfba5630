import Foundation
import Testing
@testable import Classifiers

/// `weights.bin`: square-law 8-bit codes, deflated; what is written is what
/// is read, and old or damaged files are refused with a reason.
@Suite struct WeightFileTests {
    /// Three features, three outputs (feature-major); the third output is all zero.
    static let sample = LinearWeights(keys: [3, 90, 1 << 40], outputCount: 3,
                                      weights: [0.5, -2.0, 0, 0.001, 1.0, 0, -0.25, 0.0003, 0],
                                      bias: [0.1, -0.2, 0.3])

    @Test func encodeThenDecode_givesTheQuantizedWeights() throws {
        let data = try WeightFile.encode(Self.sample).file
        let decoded = try WeightFile.decode(data, file: "weights.bin")
        let quantized = WeightFile.quantized(Self.sample)
        #expect(decoded.keys == Self.sample.keys)
        #expect(decoded.bias == Self.sample.bias)
        #expect(decoded.weights == quantized.weights)
    }

    @Test func eachOutputsLargestWeight_andZero_areExact() {
        let quantized = WeightFile.quantized(Self.sample)
        #expect(quantized.weights[0] == 0.5)
        #expect(quantized.weights[1] == -2.0)
        #expect(quantized.weights[2] == 0 && quantized.weights[5] == 0 && quantized.weights[8] == 0)
    }

    @Test func smallWeights_areKeptFinerThanALinearStep() {
        // 0.001 is 1/500 of its output's scale (0.5), 0.0003 is 1/6,667 of its
        // output's (2.0): a linear 8-bit step (scale/127) rounds both to zero;
        // the square law keeps them, within a twentieth of that step.
        let quantized = WeightFile.quantized(Self.sample)
        for (index, scale) in [(3, Float(0.5)), (7, Float(2.0))] {
            let original = Self.sample.weights[index]
            #expect(quantized.weights[index] != 0)
            #expect(abs(quantized.weights[index] - original) <= scale / 127 / 20)
        }
    }

    @Test func theNearestCodeIsChosen() {
        for value in stride(from: Float(-1), through: 1, by: 0.0137) {
            let code = WeightFile.code(of: value, scale: 1)
            let table = WeightFile.decodingTables(scales: [1])[0]
            let chosen = abs(table[Int(code) + 127] - value)
            for other in table { #expect(chosen <= abs(other - value) + 1e-7) }
        }
    }

    @Test func aFormat1File_isRefusedAsUnsupported() {
        var data = Data("XSLW".utf8)
        withUnsafeBytes(of: UInt32(1).littleEndian) { data.append(contentsOf: $0) }
        data.append(Data(count: 40))
        #expect(throws: ModelLoadError.unsupportedFormat(found: "weights v1", expected: "weights v2")) {
            _ = try WeightFile.decode(data, file: "weights.bin")
        }
    }

    @Test func keysOutOfOrder_areRefused() throws {
        let unordered = LinearWeights(keys: [90, 3], outputCount: 1, weights: [0.5, -0.5], bias: [0])
        #expect(throws: ModelLoadError.malformed(file: "weights.bin", reason: "feature keys out of order")) {
            _ = try WeightFile.decode(try WeightFile.encode(unordered).file, file: "weights.bin")
        }
    }

    @Test func damagedFiles_areRefusedWithAReason() throws {
        let data = try WeightFile.encode(Self.sample).file
        #expect(throws: ModelLoadError.malformed(file: "weights.bin", reason: "not a Xinsheng weight file")) {
            _ = try WeightFile.decode(Data("PK\u{3}\u{4}rest".utf8), file: "weights.bin")
        }
        let truncated = data.prefix(data.count - 3)
        #expect(throws: ModelLoadError.malformed(file: "weights.bin", reason: "\(data.count - 3) bytes, expected \(data.count)")) {
            _ = try WeightFile.decode(truncated, file: "weights.bin")
        }
        var absurd = data
        absurd.replaceSubrange(8..<16, with: [0xFF, 0xFF, 0xFF, 0x7F, 0x20, 0, 0, 0] as [UInt8])
        #expect(throws: ModelLoadError.malformed(file: "weights.bin",
                                                 reason: "header gives 2147483647 features × 32 outputs for \(data.count - 20) deflated bytes")) {
            _ = try WeightFile.decode(absurd, file: "weights.bin")
        }
        var scrambled = data
        for index in (WeightFile.headerSize + 2)..<scrambled.count { scrambled[index] ^= 0x5A }
        do {
            _ = try WeightFile.decode(scrambled, file: "weights.bin")
            Issue.record("a scrambled body was read")
        } catch let error as ModelLoadError {
            guard case .malformed(let file, let reason) = error else { Issue.record("\(error)"); return }
            #expect(file == "weights.bin")
            #expect(reason.contains("inflate") || reason.contains("expected"))
        }
    }
}
