/// Why a model directory was refused.
public enum ModelLoadError: Error, Equatable, Sendable, CustomStringConvertible {
    case missingFile(path: String)
    case malformed(file: String, reason: String)
    case unsupportedFormat(found: String, expected: String)
    case taxonomyMismatch(model: String, running: String)
    case lexiconMismatch(model: String, running: String)
    case featureVersionMismatch(model: String, running: String)

    public var code: String {
        switch self {
        case .missingFile: "model.missing_file"
        case .malformed: "model.malformed"
        case .unsupportedFormat: "model.unsupported_format"
        case .taxonomyMismatch: "model.taxonomy_mismatch"
        case .lexiconMismatch: "model.lexicon_mismatch"
        case .featureVersionMismatch: "model.feature_version_mismatch"
        }
    }

    public var description: String {
        switch self {
        case .missingFile(let path):
            "model file \(path) is missing (模型文件缺失)"
        case .malformed(let file, let reason):
            "model file \(file) is damaged: \(reason) (模型文件损坏)"
        case .unsupportedFormat(let found, let expected):
            "the model is in format \(found); this build reads \(expected): retrain with `xinsheng train` (模型格式不受支持，请重新训练)"
        case .taxonomyMismatch(let model, let running):
            "the model was trained on taxonomy \(model) but this build uses \(running): retrain with `xinsheng train` (模型标签体系与当前不一致，请重新训练)"
        case .lexiconMismatch(let model, let running):
            "the model was trained with lexicons \(model) but \(running) are loaded: retrain with `xinsheng train` or load the lexicons it was trained with (模型词典与当前不一致)"
        case .featureVersionMismatch(let model, let running):
            "the model's features are \(model) but this build extracts \(running): retrain with `xinsheng train` (特征版本不一致)"
        }
    }
}
