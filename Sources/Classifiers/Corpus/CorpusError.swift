/// Problems reading a corpus or gold file. Messages name files, lines and
/// ids, never the customer text.
public enum CorpusError: Error, Equatable, Sendable, CustomStringConvertible {
    case cannotRead(path: String)
    case malformedLine(file: String, line: Int, reason: String)
    case empty(path: String)

    public var code: String {
        switch self {
        case .cannotRead: "corpus.cannot_read"
        case .malformedLine: "corpus.malformed_line"
        case .empty: "corpus.empty"
        }
    }

    public var description: String {
        switch self {
        case .cannotRead(let path): "cannot read \(path) (无法读取语料文件)"
        case .malformedLine(let file, let line, let reason): "\(file):\(line): \(reason) (语料行格式错误)"
        case .empty(let path): "\(path) holds no lines (语料为空)"
        }
    }
}
