import Foundation
import Taxonomy

/// A model directory (`models/bundled/`):
/// - `meta.json`: `ModelMeta` (versions, fingerprints, training settings, dev metrics);
/// - `calibration.json`: temperatures, Platt parameters and thresholds;
/// - `weights.bin`: the vocabulary and weights (`WeightFile`: 8-bit codes, deflated);
/// - `hidden.bin`: the hidden layer (`HiddenLayerFile`), when the training
///   settings asked for one (`hidden_layer.units` above 0).
public enum ModelArtifact {
    public static let metaFile = "meta.json"
    public static let calibrationFile = "calibration.json"
    public static let weightsFile = "weights.bin"
    public static let hiddenFile = "hidden.bin"

    /// A version string for a model: the format and a hash of the binary
    /// files' bodies before deflation and of `calibration.json`, so that two
    /// models whose weights agree but whose thresholds differ (another
    /// hardship recall floor, say) never share a version.
    static func version(ofBody body: Data, calibration: Data) -> String {
        "\(ModelMeta.currentFormat)-\(String(FNV1a.hash(body + calibration), radix: 16).prefix(12))"
    }

    /// Writes a model directory (created if missing). The meta's
    /// `modelVersion` is set from the weights.
    @discardableResult
    public static func save(_ model: CustomerVoiceModel, to directory: URL) throws -> ModelMeta {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let (weightData, body) = try WeightFile.encode(model.weights)
        let hidden = try model.hidden.map(HiddenLayerFile.encode)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let calibration = try encoder.encode(model.calibration)
        var meta = model.meta
        meta.modelVersion = version(ofBody: body + (hidden?.body ?? Data()), calibration: calibration)
        try weightData.write(to: directory.appendingPathComponent(weightsFile), options: .atomic)
        let hiddenURL = directory.appendingPathComponent(hiddenFile)
        if let hidden {
            try hidden.file.write(to: hiddenURL, options: .atomic)
        } else if FileManager.default.fileExists(atPath: hiddenURL.path) {
            try FileManager.default.removeItem(at: hiddenURL)  // a linear model must not pick up an older layer
        }
        try calibration.write(to: directory.appendingPathComponent(calibrationFile), options: .atomic)
        try (encoder.encode(meta) + Data("\n".utf8)).write(to: directory.appendingPathComponent(metaFile), options: .atomic)
        return meta
    }

    private static func contents(_ name: String, in directory: URL) throws -> Data {
        let url = directory.appendingPathComponent(name)
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw ModelLoadError.missingFile(path: url.path)
        }
        return data
    }

    /// A model directory's `meta.json` alone (its training settings, say),
    /// refusing another format; the weights are not read.
    public static func loadMeta(from directory: URL) throws -> ModelMeta {
        let meta: ModelMeta
        do {
            meta = try JSONDecoder().decode(ModelMeta.self, from: try contents(metaFile, in: directory))
        } catch let error as ModelLoadError {
            throw error
        } catch {
            throw ModelLoadError.malformed(file: metaFile, reason: CorpusReader.describe(error))
        }
        guard meta.format == ModelMeta.currentFormat else {
            throw ModelLoadError.unsupportedFormat(found: meta.format, expected: ModelMeta.currentFormat)
        }
        return meta
    }

    /// Loads a model directory, refusing one trained on other labels, other
    /// lexicons or other features.
    public static func load(from directory: URL, lexiconFingerprint: String?,
                            taxonomyFingerprint: String = TaxonomyContract.ofEnums.fingerprint) throws -> CustomerVoiceModel {
        func contents(_ name: String) throws -> Data { try Self.contents(name, in: directory) }
        let decoder = JSONDecoder()
        let meta = try loadMeta(from: directory)
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
        let weights = try WeightFile.decode(try contents(weightsFile), file: weightsFile)
        let layout = OutputLayout()
        guard weights.outputCount == layout.outputCount else {
            throw ModelLoadError.malformed(file: weightsFile, reason: "\(weights.outputCount) outputs, expected \(layout.outputCount)")
        }
        var hidden: HiddenLayer? = nil
        if meta.config.hiddenLayer.units > 0 {
            let layer = try HiddenLayerFile.decode(try contents(hiddenFile), file: hiddenFile)
            let outputs = meta.config.hiddenLayer.outputCount(in: layout)
            guard layer.outputCount == outputs, layer.units == meta.config.hiddenLayer.units else {
                throw ModelLoadError.malformed(file: hiddenFile, reason: "\(layer.units) units × \(layer.outputCount) outputs, "
                    + "expected \(meta.config.hiddenLayer.units) × \(outputs)")
            }
            hidden = layer
        }
        return CustomerVoiceModel(weights: weights, hidden: hidden, layout: layout, calibration: calibration, meta: meta)
    }
}
