import Foundation

/// Finds the project's data folders without configuration: an explicit
/// option first, then an environment variable, then the folder under the
/// current directory, then the folder of the checkout the binary was built in.
enum ProjectPaths {
    /// `--lexicons`, `$XINSHENG_LEXICONS`, `./lexicons`, the checkout's `lexicons/`.
    static func lexiconDirectory(explicit: String?) throws -> URL {
        guard let url = find("lexicons", explicit: explicit, environment: "XINSHENG_LEXICONS") else {
            throw CLIError.lexiconsNotFound
        }
        return url
    }

    /// `--model`, `$XINSHENG_MODEL`, `./models/bundled`, the checkout's `models/bundled/`.
    static func modelDirectory(explicit: String?) throws -> URL {
        guard let url = find("models/bundled", explicit: explicit, environment: "XINSHENG_MODEL") else {
            throw CLIError.modelNotFound
        }
        return url
    }

    /// `./<relative>` or the checkout's `<relative>`, for folders with no option (corpora, config).
    static func projectFolder(_ relative: String) -> URL? {
        find(relative, explicit: nil, environment: nil)
    }

    static func find(_ relative: String, explicit: String?, environment: String?) -> URL? {
        if let explicit { return URL(fileURLWithPath: explicit) }
        if let environment, let fromEnvironment = ProcessInfo.processInfo.environment[environment], !fromEnvironment.isEmpty {
            return URL(fileURLWithPath: fromEnvironment)
        }
        let cwd = URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent(relative)
        if FileManager.default.fileExists(atPath: cwd.path) { return cwd }
        var directory = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<6 {
            let candidate = directory.appendingPathComponent(relative)
            if FileManager.default.fileExists(atPath: candidate.path),
               FileManager.default.fileExists(atPath: directory.appendingPathComponent("Package.swift").path) {
                return candidate
            }
            directory = directory.deletingLastPathComponent()
        }
        return nil
    }

    static func isDirectory(_ url: URL) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) && isDirectory.boolValue
    }
}

/// Errors the command line reports and exits on.
enum CLIError: Error, CustomStringConvertible {
    case lexiconsNotFound
    case modelNotFound
    case notFound(what: String, option: String)
    case badSliceLine(path: String, line: Int)
    case cannotOpen(path: String)
    case someLinesRejected(rejected: Int, total: Int)
    case qualityDrop(corpus: String, drop: Double, allowed: Double)
    case badInput(path: String, reason: String)
    /// A library error whose description is already bilingual and safe to show.
    case failed(String)

    var description: String {
        switch self {
        case .failed(let message):
            return message
        case .lexiconsNotFound:
            return "cannot find the lexicons folder: pass --lexicons DIR or set XINSHENG_LEXICONS (找不到词典目录)"
        case .modelNotFound:
            return "cannot find the model: pass --model DIR or set XINSHENG_MODEL, or train one with `xinsheng train` (找不到模型目录)"
        case .badSliceLine(let path, let line):
            return "\(path):\(line): expected id<TAB>category[,category] (切片文件格式错误)"
        case .notFound(let what, let option):
            return "cannot find \(what): pass \(option) (找不到 \(what))"
        case .cannotOpen(let path):
            return "cannot open \(path) (无法打开文件)"
        case .someLinesRejected(let rejected, let total):
            return "\(rejected) of \(total) input lines were rejected; see the messages above (部分输入行被拒绝)"
        case .badInput(let path, let reason):
            return "\(path): \(reason)"
        case .qualityDrop(let corpus, let drop, let allowed):
            return String(format: "%@: F1 is %.4f below raw ICU, more than the %.4f allowed (分词质量下降超出允许范围)", corpus, drop, allowed)
        }
    }
}
