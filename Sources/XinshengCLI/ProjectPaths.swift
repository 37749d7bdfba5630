import Foundation

/// Finds the project's data folders (`lexicons/`) without configuration:
/// `--lexicons` if given, then `$XINSHENG_LEXICONS`, then `./lexicons`, then
/// the `lexicons/` folder of the checkout the binary was built in.
enum ProjectPaths {
    static func lexiconDirectory(explicit: String?) throws -> URL {
        if let explicit { return URL(fileURLWithPath: explicit) }
        if let fromEnvironment = ProcessInfo.processInfo.environment["XINSHENG_LEXICONS"], !fromEnvironment.isEmpty {
            return URL(fileURLWithPath: fromEnvironment)
        }
        let cwd = URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent("lexicons")
        if isDirectory(cwd) { return cwd }
        var directory = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<6 {
            let candidate = directory.appendingPathComponent("lexicons")
            if isDirectory(candidate), FileManager.default.fileExists(atPath: directory.appendingPathComponent("Package.swift").path) {
                return candidate
            }
            directory = directory.deletingLastPathComponent()
        }
        throw CLIError.lexiconsNotFound
    }

    static func isDirectory(_ url: URL) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) && isDirectory.boolValue
    }
}

/// Errors the command line reports and exits on.
enum CLIError: Error, CustomStringConvertible {
    case lexiconsNotFound
    case cannotOpen(path: String)
    case someLinesRejected(rejected: Int, total: Int)
    case qualityDrop(corpus: String, drop: Double, allowed: Double)

    var description: String {
        switch self {
        case .lexiconsNotFound:
            return "cannot find the lexicons folder: pass --lexicons DIR or set XINSHENG_LEXICONS (找不到词典目录)"
        case .cannotOpen(let path):
            return "cannot open \(path) (无法打开文件)"
        case .someLinesRejected(let rejected, let total):
            return "\(rejected) of \(total) input lines were rejected; see the messages above (部分输入行被拒绝)"
        case .qualityDrop(let corpus, let drop, let allowed):
            return String(format: "%@: F1 is %.4f below raw ICU, more than the %.4f allowed (分词质量下降超出允许范围)", corpus, drop, allowed)
        }
    }
}
