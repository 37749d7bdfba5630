import Foundation
import Taxonomy

/// A model directory (`models/bundled/`):
/// - `meta.json`: `ModelMeta` (versions, fingerprints, training settings, dev metrics);
/// - `calibration.json`: temperatures, Platt parameters and thresholds;
/// - `weights.bin`: the vocabulary and weights, little-endian:
///   `"XSLW"`, format 1 (u32), feature count F (u32), output count K (u32),
///   F feature keys (u64, ascending), K scales (f32), K biases (f32), then
///   F×K weights (i16, feature-major), each weight = i16 × its output's scale.
///   16-bit weights keep the file a quarter of plain doubles; the loss is
///   below 1/32767 of each output's largest weight.
public enum ModelArtifact {
    public static let metaFile = "meta.json"
    public static let calibrationFile = "calibration.json"
    public static let weightsFile = "weights.bin"
    static let magic: [UInt8] = Array("XSLW".utf8)

    /// Rounds weights to what the file can hold, so a model used before
    /// saving scores exactly as it will after loading.
    public static func quantized(_ weights: LinearWeights) -> LinearWeights {
        let scales = scales(of: weights)
        var values = weights.weights
        let k = weights.outputCount
        for index in values.indices {
            let scale = scales[index % k]
            values[index] = scale == 0 ? 0 : Float(Int16(clamping: Int((values[index] / scale).rounded()))) * scale
        }
        return LinearWeights(keys: weights.keys, outputCount: k, weights: values, bias: weights.bias)
    }

    static func scales(of weights: LinearWeights) -> [Float] {
        var maxima = [Float](repeating: 0, count: weights.outputCount)
        for (index, value) in weights.weights.enumerated() {
            let output = index % weights.outputCount
            maxima[output] = max(maxima[output], abs(value))
        }
        return maxima.map { $0 / 32767 }
    }

    static func encodeWeights(_ weights: LinearWeights) -> Data {
        let k = weights.outputCount
        let scales = scales(of: weights)
        var data = Data(magic)
        func append<T: FixedWidthInteger>(_ value: T) {
            withUnsafeBytes(of: value.littleEndian) { data.append(contentsOf: $0) }
        }
        append(UInt32(1))
        append(UInt32(weights.featureCount))
        append(UInt32(k))
        data.reserveCapacity(16 + weights.featureCount * (8 + 2 * k) + 8 * k)
        for key in weights.keys { append(key) }
        for scale in scales { append(scale.bitPattern) }
        for bias in weights.bias { append(bias.bitPattern) }
        for (index, value) in weights.weights.enumerated() {
            let scale = scales[index % k]
            let quantum = scale == 0 ? Int16(0) : Int16(clamping: Int((value / scale).rounded()))
            append(quantum)
        }
        return data
    }

    static func decodeWeights(_ data: Data, file: String) throws -> LinearWeights {
        var offset = 0
        func read<T: FixedWidthInteger>(_: T.Type) throws -> T {
            let size = MemoryLayout<T>.size
            guard offset + size <= data.count else { throw ModelLoadError.malformed(file: file, reason: "truncated") }
            var value: T = 0
            _ = withUnsafeMutableBytes(of: &value) { data.copyBytes(to: $0, from: (data.startIndex + offset)..<(data.startIndex + offset + size)) }
            offset += size
            return T(littleEndian: value)
        }
        guard data.count >= 16, Array(data.prefix(4)) == magic else {
            throw ModelLoadError.malformed(file: file, reason: "not a Xinsheng weight file")
        }
        offset = 4
        let version = try read(UInt32.self)
        guard version == 1 else { throw ModelLoadError.unsupportedFormat(found: "weights v\(version)", expected: "weights v1") }
        let featureCount = Int(try read(UInt32.self))
        let k = Int(try read(UInt32.self))
        let expected = 16 + featureCount * 8 + k * 8 + featureCount * k * 2
        guard data.count == expected else {
            throw ModelLoadError.malformed(file: file, reason: "\(data.count) bytes, expected \(expected)")
        }
        var keys = [UInt64](repeating: 0, count: featureCount)
        for index in 0..<featureCount { keys[index] = try read(UInt64.self) }
        var scales = [Float](repeating: 0, count: k)
        for index in 0..<k { scales[index] = Float(bitPattern: try read(UInt32.self)) }
        var bias = [Float](repeating: 0, count: k)
        for index in 0..<k { bias[index] = Float(bitPattern: try read(UInt32.self)) }
        var weights = [Float](repeating: 0, count: featureCount * k)
        data.withUnsafeBytes { raw in
            let base = raw.baseAddress!.advanced(by: offset)
            for index in 0..<(featureCount * k) {
                var quantum: Int16 = 0
                memcpy(&quantum, base.advanced(by: index * 2), 2)
                weights[index] = Float(Int16(littleEndian: quantum)) * scales[index % k]
            }
        }
        for index in 1..<max(keys.count, 1) where keys[index - 1] >= keys[index] {
            throw ModelLoadError.malformed(file: file, reason: "feature keys out of order")
        }
        return LinearWeights(keys: keys, outputCount: k, weights: weights, bias: bias)
    }

    /// A version string for a set of weights: the format and a hash of the bytes.
    static func version(of weightData: Data) -> String {
        "\(ModelMeta.currentFormat)-\(String(FNV1a.hash(weightData), radix: 16).prefix(12))"
    }

    /// Writes a model directory (created if missing). The meta's
    /// `modelVersion` is set from the weights.
    @discardableResult
    public static func save(_ model: CustomerVoiceModel, to directory: URL) throws -> ModelMeta {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let weightData = encodeWeights(model.weights)
        var meta = model.meta
        meta.modelVersion = version(of: weightData)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        try weightData.write(to: directory.appendingPathComponent(weightsFile), options: .atomic)
        try encoder.encode(model.calibration).write(to: directory.appendingPathComponent(calibrationFile), options: .atomic)
        try (encoder.encode(meta) + Data("\n".utf8)).write(to: directory.appendingPathComponent(metaFile), options: .atomic)
        return meta
    }

    /// Loads a model directory, refusing one trained on other labels, other
    /// lexicons or other features.
    public static func load(from directory: URL, lexiconFingerprint: String?,
                            taxonomyFingerprint: String = TaxonomyContract.ofEnums.fingerprint) throws -> CustomerVoiceModel {
        func contents(_ name: String) throws -> Data {
            let url = directory.appendingPathComponent(name)
            guard let data = FileManager.default.contents(atPath: url.path) else {
                throw ModelLoadError.missingFile(path: url.path)
            }
            return data
        }
        let decoder = JSONDecoder()
        let meta: ModelMeta
        do {
            meta = try decoder.decode(ModelMeta.self, from: try contents(metaFile))
        } catch let error as ModelLoadError {
            throw error
        } catch {
            throw ModelLoadError.malformed(file: metaFile, reason: CorpusReader.describe(error))
        }
        guard meta.format == ModelMeta.currentFormat else {
            throw ModelLoadError.unsupportedFormat(found: meta.format, expected: ModelMeta.currentFormat)
        }
        guard meta.taxonomyFingerprint == taxonomyFingerprint else {
            throw ModelLoadError.taxonomyMismatch(model: meta.taxonomyFingerprint, running: taxonomyFingerprint)
        }
        guard meta.features == FeatureExtractor.version else {
            throw ModelLoadError.featureVersionMismatch(model: meta.features, running: FeatureExtractor.version)
        }
        if let lexiconFingerprint, meta.lexiconFingerprint != lexiconFingerprint {
            throw ModelLoadError.lexiconMismatch(model: meta.lexiconFingerprint, running: lexiconFingerprint)
        }
        let calibration: Calibration
        do {
            calibration = try decoder.decode(Calibration.self, from: try contents(calibrationFile))
        } catch let error as ModelLoadError {
            throw error
        } catch {
            throw ModelLoadError.malformed(file: calibrationFile, reason: CorpusReader.describe(error))
        }
        let weights = try decodeWeights(try contents(weightsFile), file: weightsFile)
        let layout = OutputLayout()
        guard weights.outputCount == layout.outputCount else {
            throw ModelLoadError.malformed(file: weightsFile, reason: "\(weights.outputCount) outputs, expected \(layout.outputCount)")
        }
        return CustomerVoiceModel(weights: weights, layout: layout, calibration: calibration, meta: meta)
    }
}
