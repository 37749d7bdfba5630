import Foundation
import Yams

/// One YAML configuration file being read: typed accessors that record a
/// problem (key path, line, message) instead of stopping, so a file is
/// checked whole and every mistake is reported at once.
///
/// Readers take what they can from the document, call `fields(_:at:allowed:required:)`
/// on every mapping (unknown keys are errors) and finish with `check()`.
public final class ConfigDocument {
    public let file: String
    /// The top-level mapping, nil when the file is missing, not YAML or not a mapping.
    public private(set) var root: Node.Mapping?
    public private(set) var problems: [ConfigurationError.Problem] = []

    /// Parses `yaml`; a syntax error or a missing `version: 1` is recorded.
    public init(yaml: String, file: String) {
        self.file = file
        do {
            guard let node = try Yams.compose(yaml: yaml) else {
                problems.append(.init(path: "", line: nil, message: "the file is empty; it must start with version: 1 (文件为空)"))
                return
            }
            guard let mapping = node.mapping else {
                problem("", node, "expected a mapping that starts with version: 1 (应为键值映射)")
                return
            }
            root = mapping
        } catch let error as YamlError {
            problems.append(.init(path: "", line: Self.line(of: error), message: "not valid YAML (YAML 语法错误): \(error)"))
        } catch {
            problems.append(.init(path: "", line: nil, message: "not valid YAML (YAML 语法错误): \(error)"))
        }
        if let root {
            if let version = root["version"] {
                if version.int != 1 { problem("version", version, "must be 1 (版本号必须为 1)") }
            } else {
                problem("version", nil, "missing: the file must start with version: 1 (缺少 version)")
            }
        }
    }

    /// Reads `url`; an unreadable file is recorded as a problem.
    public convenience init(contentsOf url: URL) {
        if let data = FileManager.default.contents(atPath: url.path) {
            self.init(yaml: String(decoding: data, as: UTF8.self), file: url.path)
        } else {
            self.init(unreadable: url.path)
        }
    }

    private init(unreadable file: String) {
        self.file = file
        problems = [.init(path: "", line: nil, message: "cannot read the file (无法读取文件)")]
    }

    /// Records a problem at `node`'s line.
    public func problem(_ path: String, _ node: Node?, _ message: String) {
        problems.append(.init(path: path, line: node?.mark?.line, message: message))
    }

    /// The error to throw, nil when the file is clean.
    public var error: ConfigurationError? {
        problems.isEmpty ? nil : ConfigurationError(file: file, problems: problems)
    }

    /// Throws every problem recorded so far.
    public func check() throws(ConfigurationError) {
        if let error { throw error }
    }

    /// Reads a whole document with `read` (which records every problem) and
    /// throws them all at once: the shape of every one-file configuration.
    public func value<T>(_ read: (ConfigDocument) -> T) throws(ConfigurationError) -> T {
        let value = read(self)
        try check()
        return value
    }

    // MARK: - Typed reads (nil after recording a problem)

    /// The keys of a mapping by name; unknown keys and missing required
    /// ones are recorded. `version` is always allowed at the top.
    public func fields(_ mapping: Node.Mapping, at path: String, allowed: [String], required: [String] = []) -> [String: Node] {
        var found: [String: Node] = [:]
        for (keyNode, value) in mapping {
            let key = keyNode.string ?? ""
            let keyPath = Self.join(path, key)
            if path.isEmpty && key == "version" { continue }
            guard allowed.contains(key) else {
                problem(keyPath, keyNode, "unknown key (未知的键); expected one of: \(allowed.joined(separator: ", "))")
                continue
            }
            found[key] = value
        }
        for key in required where found[key] == nil {
            problem(Self.join(path, key), mapping.first?.key, "missing (缺少必填项)")
        }
        return found
    }

    public func mapping(_ node: Node?, at path: String) -> Node.Mapping? {
        guard let node else { return nil }
        guard let mapping = node.mapping else {
            problem(path, node, "must be a mapping of keys to values (应为键值映射)")
            return nil
        }
        return mapping
    }

    public func sequence(_ node: Node?, at path: String) -> [Node]? {
        guard let node else { return nil }
        guard let sequence = node.sequence else {
            problem(path, node, "must be a list (应为列表)")
            return nil
        }
        return Array(sequence)
    }

    /// A non-empty plain string.
    public func string(_ node: Node?, at path: String) -> String? {
        guard let node else { return nil }
        guard let value = node.scalar?.string, !value.isEmpty else {
            problem(path, node, "must be a non-empty text (应为非空文本)")
            return nil
        }
        return value
    }

    /// An identifier: lower-case letters, digits and `_`, starting with a letter.
    public func identifier(_ node: Node?, at path: String) -> String? {
        guard let value = string(node, at: path) else { return nil }
        guard value.range(of: "^[a-z][a-z0-9_]{0,63}$", options: .regularExpression) != nil else {
            problem(path, node, "\"\(value)\" must be lower_snake_case: a–z, 0–9 and _ (标识符格式错误)")
            return nil
        }
        return value
    }

    public func int(_ node: Node?, at path: String, in range: ClosedRange<Int>) -> Int? {
        guard let node else { return nil }
        guard let value = node.int, range.contains(value) else {
            problem(path, node, "must be a whole number from \(range.lowerBound) to \(range.upperBound) (数值超出范围)")
            return nil
        }
        return value
    }

    public func number(_ node: Node?, at path: String, in range: ClosedRange<Double>) -> Double? {
        guard let node else { return nil }
        guard let value = node.float, value.isFinite, range.contains(value) else {
            problem(path, node, "must be a number from \(range.lowerBound) to \(range.upperBound) (数值超出范围)")
            return nil
        }
        return value
    }

    /// A list of strings, each checked by `accept` (which records its own problem).
    public func list<T>(_ node: Node?, at path: String, _ accept: (Node, String) -> T?) -> [T]? {
        guard let items = sequence(node, at: path) else { return nil }
        var values: [T] = []
        for (index, item) in items.enumerated() {
            if let value = accept(item, "\(path)[\(index)]") { values.append(value) }
        }
        return values
    }

    /// A value of a string-backed enum, with the choices in the message.
    public func choice<T: RawRepresentable & CaseIterable>(_ node: Node?, at path: String, of type: T.Type) -> T? where T.RawValue == String {
        guard let raw = string(node, at: path) else { return nil }
        guard let value = T(rawValue: raw) else {
            problem(path, node, "unknown value \"\(raw)\"; expected one of: \(T.allCases.map(\.rawValue).joined(separator: ", ")) (取值无效)")
            return nil
        }
        return value
    }

    static func join(_ path: String, _ key: String) -> String {
        path.isEmpty ? key : "\(path).\(key)"
    }

    static func line(of error: YamlError) -> Int? {
        switch error {
        case .scanner(_, _, let mark, _), .parser(_, _, let mark, _), .composer(_, _, let mark, _): mark.line
        default: nil
        }
    }
}
