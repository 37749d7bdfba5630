import Foundation

/// `hidden.bin`: the hidden layer (`HiddenLayer`), little-endian.
///
/// - header, 24 bytes: `"XSHL"`, format 1 (u32), feature count F (u32),
///   units H (u32), output count K (u32), length of the deflated body (u32);
/// - body, zlib-deflated: the mix (f32), the first mixed output (u32), F
///   feature keys (u64, ascending),
///   H embedding scales (f32), H hidden biases (f32), H×K readout weights
///   (f32, unit-major), K output biases (f32), then F×H embedding codes
///   (i8, feature-major).
///
/// The embeddings, nearly all of the file, are 8-bit codes on the same
/// square law as `weights.bin` (`WeightFile`), one scale per hidden unit;
/// the small readout stays in full precision. K is the layout's sentiments,
/// intents and needs, plus one for the need gate when the layer feeds it
/// (`feeds_gate` in the model's settings, which the loader checks).
enum HiddenLayerFile {
    static let magic: [UInt8] = Array("XSHL".utf8)
    static let format: UInt32 = 1
    static let headerSize = 24

    /// The body before deflation (the model version hashes it with the weights').
    static func body(of layer: HiddenLayer) -> Data {
        var data = Data()
        data.reserveCapacity(layer.keys.count * (8 + layer.units) + 4 * (layer.units * (layer.outputCount + 2) + layer.outputCount + 2))
        data.appendLittleEndian(layer.mix.bitPattern)
        data.appendLittleEndian(UInt32(layer.firstMixedOutput))
        for key in layer.keys { data.appendLittleEndian(key) }
        for value in layer.unitScales + layer.hiddenBias + layer.readout + layer.outputBias { data.appendLittleEndian(value.bitPattern) }
        layer.codes.withUnsafeBytes { data.append(contentsOf: $0) }
        return data
    }

    static func encode(_ layer: HiddenLayer) throws -> (file: Data, body: Data) {
        let body = body(of: layer)
        let file = try Deflated.file(magic: magic, header: [format, UInt32(layer.keys.count), UInt32(layer.units),
                                                            UInt32(layer.outputCount)], body: body)
        return (file, body)
    }

    static func decode(_ data: Data, file: String) throws -> HiddenLayer {
        try data.withUnsafeBytes { bytes in
            func word(at offset: Int) -> UInt32 {
                UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt32.self))
            }
            guard bytes.count >= 8, Array(bytes.prefix(4)) == magic else {
                throw ModelLoadError.malformed(file: file, reason: "not a Xinsheng hidden-layer file")
            }
            guard word(at: 4) == format else {
                throw ModelLoadError.unsupportedFormat(found: "hidden layer v\(word(at: 4))", expected: "hidden layer v\(format)")
            }
            guard bytes.count >= headerSize else { throw ModelLoadError.malformed(file: file, reason: "truncated header") }
            let featureCount = Int(word(at: 8)), units = Int(word(at: 12)), k = Int(word(at: 16))
            let deflatedLength = Int(word(at: 20))
            guard bytes.count == headerSize + deflatedLength else {
                throw ModelLoadError.malformed(file: file, reason: "\(bytes.count) bytes, expected \(headerSize + deflatedLength)")
            }
            // As in weights.bin: a header promising more than zlib can inflate is damaged.
            let (perFeature, overflowA) = (8 + units).multipliedReportingOverflow(by: featureCount)
            let (bodyLength, overflowB) = perFeature.addingReportingOverflow(4 * (units * (k + 2) + k + 2))
            guard units > 0, units < 1 << 12, k > 0, k < 1 << 12, !overflowA, !overflowB,
                  bodyLength <= deflatedLength * 1_032 else {
                throw ModelLoadError.malformed(file: file, reason: "header gives \(featureCount) features × \(units) units for \(deflatedLength) deflated bytes")
            }
            let body = try Deflated.inflate(UnsafeRawBufferPointer(rebasing: bytes[headerSize...]), length: bodyLength, file: file)
            return try body.withUnsafeBytes { raw -> HiddenLayer in
                var offset = 0
                func floats(_ count: Int) -> [Float] {
                    defer { offset += 4 * count }
                    return (0..<count).map {
                        Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: offset + 4 * $0, as: UInt32.self)))
                    }
                }
                let mix = floats(1)[0]
                guard (0...1).contains(mix) else { throw ModelLoadError.malformed(file: file, reason: "mix \(mix) outside 0…1") }
                let firstMixedOutput = Int(UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: UInt32.self)))
                offset += 4
                guard firstMixedOutput <= k else {
                    throw ModelLoadError.malformed(file: file, reason: "first mixed output \(firstMixedOutput) of \(k)")
                }
                var keys = [UInt64](repeating: 0, count: featureCount)
                for index in 0..<featureCount {
                    keys[index] = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: offset + index * 8, as: UInt64.self))
                }
                offset += featureCount * 8
                for index in 1..<max(featureCount, 1) where keys[index - 1] >= keys[index] {
                    throw ModelLoadError.malformed(file: file, reason: "feature keys out of order")
                }
                let scales = floats(units), hiddenBias = floats(units), readout = floats(units * k), outputBias = floats(k)
                let codes = raw[offset..<(offset + featureCount * units)].map { Int8(bitPattern: $0) }
                guard !codes.contains(Int8.min) else {
                    throw ModelLoadError.malformed(file: file, reason: "an embedding code of −128 (codes run −127…127)")
                }
                return HiddenLayer(keys: keys, units: units, outputCount: k, mix: mix, firstMixedOutput: firstMixedOutput,
                                   unitScales: scales, codes: codes,
                                   hiddenBias: hiddenBias, readout: readout, outputBias: outputBias)
            }
        }
    }
}
