import CZlib
import Foundation

/// `weights.bin`: the vocabulary and the weights of every output, little-endian.
///
/// - header, 20 bytes: `"XSLW"`, format 2 (u32), feature count F (u32),
///   output count K (u32), length of the deflated body (u32);
/// - body, zlib-deflated: F feature keys (u64, ascending), K scales (f32),
///   K biases (f32), then F×K codes (i8, feature-major).
///
/// A code c in −127…127 stands for sign(c)·(|c|/127)²·scale, the scale being
/// its output's largest |weight|. The square law spends the codes where the
/// weights are: most weights are a small fraction of the largest (the median
/// about 1/2,700 of it in the bundled model), and there the steps are
/// 1/16,129 of the scale; at the top a step is 1.6 % of it. Eight-bit codes
/// are half of the 16-bit linear ones the format 1 file held, and deflate
/// takes the file (keys included) from 5.2 to about 3.4 MB.
enum WeightFile {
    static let magic: [UInt8] = Array("XSLW".utf8)
    static let format: UInt32 = 2
    static let headerSize = 20
    static let largestCode: Float = 127

    /// Rounds weights to what the file can hold, so a model used before
    /// saving scores exactly as it will after loading.
    static func quantized(_ weights: LinearWeights) -> LinearWeights {
        LinearWeights(keys: weights.keys, outputCount: weights.outputCount,
                      weights: quantized(weights.weights, columns: weights.outputCount), bias: weights.bias)
    }

    /// A row-major matrix with every value rounded to its column's nearest level.
    static func quantized(_ values: [Float], columns: Int) -> [Float] {
        let scales = columnScales(values, columns: columns)
        let tables = decodingTables(scales: scales)
        var values = values
        for index in values.indices {
            let column = index % columns
            values[index] = tables[column][Int(code(of: values[index], scale: scales[column])) + 127]
        }
        return values
    }

    /// Appends the codes of a row-major matrix, one byte each, given its column scales.
    static func appendCodes(of values: [Float], columns: Int, scales: [Float], to data: inout Data) {
        var codes = [Int8](repeating: 0, count: values.count)
        for (index, value) in values.enumerated() {
            codes[index] = code(of: value, scale: scales[index % columns])
        }
        codes.withUnsafeBytes { data.append(contentsOf: $0) }
    }

    /// The body before deflation; the model version is a hash of it, so it
    /// does not depend on the zlib build that wrote the file.
    static func body(of weights: LinearWeights) -> Data {
        let k = weights.outputCount
        let values = weights.weights
        let scales = columnScales(values, columns: k)
        var data = Data()
        data.reserveCapacity(weights.featureCount * (8 + k) + 8 * k)
        for key in weights.keys { data.appendLittleEndian(key) }
        for scale in scales { data.appendLittleEndian(scale.bitPattern) }
        for bias in weights.bias { data.appendLittleEndian(bias.bitPattern) }
        appendCodes(of: values, columns: k, scales: scales, to: &data)
        return data
    }

    /// The file, and the body it deflates (what the model version hashes).
    static func encode(_ weights: LinearWeights) throws -> (file: Data, body: Data) {
        let body = body(of: weights)
        let file = try Deflated.file(magic: magic, header: [format, UInt32(weights.featureCount), UInt32(weights.outputCount)],
                                     body: body)
        return (file, body)
    }

    static func decode(_ data: Data, file: String) throws -> LinearWeights {
        try data.withUnsafeBytes { bytes in try decode(bytes, file: file) }
    }

    /// Reads the header and inflates the body straight from the file's bytes
    /// (no copy of the file); every number is read with `loadUnaligned`.
    private static func decode(_ bytes: UnsafeRawBufferPointer, file: String) throws -> LinearWeights {
        func word(at offset: Int) -> UInt32 {
            UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt32.self))
        }
        guard bytes.count >= 8, Array(bytes.prefix(4)) == magic else {
            throw ModelLoadError.malformed(file: file, reason: "not a Xinsheng weight file")
        }
        let version = word(at: 4)
        guard version == format else {
            throw ModelLoadError.unsupportedFormat(found: "weights v\(version)", expected: "weights v\(format)")
        }
        guard bytes.count >= headerSize else { throw ModelLoadError.malformed(file: file, reason: "truncated header") }
        let featureCount = Int(word(at: 8))
        let k = Int(word(at: 12))
        let deflatedLength = Int(word(at: 16))
        guard bytes.count == headerSize + deflatedLength else {
            throw ModelLoadError.malformed(file: file, reason: "\(bytes.count) bytes, expected \(headerSize + deflatedLength)")
        }
        // zlib inflates at most about 1,032 bytes per deflated byte: a header
        // promising more is damaged (and must not size an allocation).
        let (perFeature, overflowA) = (8 + k).multipliedReportingOverflow(by: featureCount)
        let (bodyLength, overflowB) = perFeature.addingReportingOverflow(k * 8)
        guard k > 0, k < 1 << 16, !overflowA, !overflowB, bodyLength <= deflatedLength * 1_032 else {
            throw ModelLoadError.malformed(file: file, reason: "header gives \(featureCount) features × \(k) outputs for \(deflatedLength) deflated bytes")
        }
        let body = try Deflated.inflate(UnsafeRawBufferPointer(rebasing: bytes[headerSize...]), length: bodyLength, file: file)
        return try body.withUnsafeBytes { raw -> LinearWeights in
            var keys = [UInt64](repeating: 0, count: featureCount)
            for index in 0..<featureCount {
                keys[index] = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: index * 8, as: UInt64.self))
            }
            for index in 1..<max(featureCount, 1) where keys[index - 1] >= keys[index] {
                throw ModelLoadError.malformed(file: file, reason: "feature keys out of order")
            }
            var offset = featureCount * 8
            func floats() -> [Float] {
                defer { offset += 4 * k }
                return (0..<k).map { Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: offset + 4 * $0, as: UInt32.self))) }
            }
            let scales = floats()
            let bias = floats()
            let tables = decodingTables(scales: scales)
            let matrix = CacheAlignedRows<Float>(count: featureCount * k, width: k) { weights in
                for index in weights.indices {
                    let code = Int8(bitPattern: raw[offset + index])
                    weights.initializeElement(at: index, to: tables[index % k][Int(code) + 127])
                }
            }
            return LinearWeights(keys: keys, outputCount: k, matrix: matrix, bias: bias)
        }
    }

    /// The largest |value| of each column of a row-major matrix.
    static func columnScales(_ values: [Float], columns: Int) -> [Float] {
        var maxima = [Float](repeating: 0, count: columns)
        for (index, value) in values.enumerated() {
            maxima[index % columns] = max(maxima[index % columns], abs(value))
        }
        return maxima
    }

    /// The code whose value is nearest to `value`.
    static func code(of value: Float, scale: Float) -> Int8 {
        guard scale > 0, value != 0 else { return 0 }
        let fraction = min(abs(value) / scale, 1)
        let lower = (fraction.squareRoot() * largestCode).rounded(.down)
        let upper = min(lower + 1, largestCode)
        func level(_ code: Float) -> Float { (code / largestCode) * (code / largestCode) }
        let magnitude = abs(fraction - level(lower)) <= abs(level(upper) - fraction) ? lower : upper
        return Int8(value < 0 ? -magnitude : magnitude)
    }

    /// For each output, the value of every code (index code + 127).
    static func decodingTables(scales: [Float]) -> [[Float]] {
        scales.map { scale in
            (-127...127).map { code in
                let level = Float(code) / largestCode
                return (code < 0 ? -1 : 1) * level * level * scale
            }
        }
    }
}

/// Why a weight file could not be written.
public enum WeightFileError: Error, Equatable, Sendable, CustomStringConvertible {
    case deflateFailed(status: Int)

    public var code: String { "model.deflate_failed" }

    public var description: String {
        switch self {
        case .deflateFailed(let status):
            "the weights could not be deflated (zlib status \(status)) (模型权重压缩失败)"
        }
    }
}

extension Data {
    /// Appends an integer's bytes, least significant first (the model files' byte order).
    mutating func appendLittleEndian<T: FixedWidthInteger>(_ value: T) {
        Swift.withUnsafeBytes(of: value.littleEndian) { append(contentsOf: $0) }
    }
}

/// The zlib bodies of the model's binary files (`weights.bin`, `hidden.bin`).
enum Deflated {
    /// A whole file: the magic, the header words, the deflated body's length, the deflated body.
    static func file(magic: [UInt8], header: [UInt32], body: Data) throws -> Data {
        let deflated = try compress(body)
        var data = Data(magic)
        for word in header + [UInt32(deflated.count)] { data.appendLittleEndian(word) }
        data.append(deflated)
        return data
    }

    static func compress(_ body: Data) throws -> Data {
        var deflated = [UInt8](repeating: 0, count: Int(compressBound(uLong(body.count))))
        var deflatedLength = uLong(deflated.count)
        let status = body.withUnsafeBytes { raw in
            compress2(&deflated, &deflatedLength, raw.bindMemory(to: Bytef.self).baseAddress, uLong(body.count), Z_BEST_COMPRESSION)
        }
        guard status == Z_OK else { throw WeightFileError.deflateFailed(status: Int(status)) }
        return Data(deflated[0..<Int(deflatedLength)])
    }

    /// Inflates a body that must come to exactly `length` bytes.
    static func inflate(_ deflated: UnsafeRawBufferPointer, length: Int, file: String) throws -> [UInt8] {
        var body = [UInt8](repeating: 0, count: length)
        var inflatedLength = uLong(length)
        let status = uncompress(&body, &inflatedLength, deflated.baseAddress?.assumingMemoryBound(to: Bytef.self),
                                uLong(deflated.count))
        guard status == Z_OK, Int(inflatedLength) == length else {
            throw ModelLoadError.malformed(file: file, reason: status == Z_OK
                ? "body holds \(inflatedLength) bytes, expected \(length)"
                : "body does not inflate (zlib status \(status))")
        }
        return body
    }
}
