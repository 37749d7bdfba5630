import Foundation
import Taxonomy
import Yams

/// How long need-tags live and how much history they keep
/// (`config/tags.yaml`).
public struct TagPolicy: Sendable, Equatable {
    /// Time to live per need, in days, counted from when the need was last seen.
    public let ttlDays: [Need: Int]
    /// How many observations a tag keeps as provenance (newest kept).
    public let provenanceKept: Int

    public init(ttlDays: [Need: Int], provenanceKept: Int = 5) {
        self.ttlDays = ttlDays
        self.provenanceKept = provenanceKept
    }

    public func ttl(of need: Need) -> TimeInterval {
        TimeInterval(ttlDays[need] ?? 90) * 86_400
    }

    /// Reads and validates a `tags.yaml`; every problem is reported at once.
    public static func load(_ url: URL) throws(ConfigurationError) -> TagPolicy {
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw ConfigurationError(file: url.path, problems: [.init(path: "", line: nil, message: "cannot read the file (无法读取文件)")])
        }
        return try parse(String(decoding: data, as: UTF8.self), file: url.path)
    }

    public static func parse(_ yaml: String, file: String) throws(ConfigurationError) -> TagPolicy {
        var problems: [ConfigurationError.Problem] = []
        let node: Node?
        do {
            node = try Yams.compose(yaml: yaml)
        } catch {
            throw ConfigurationError(file: file, problems: [.init(path: "", line: nil, message: "not valid YAML: \(error)")])
        }
        guard let root = node?.mapping else {
            throw ConfigurationError(file: file, problems: [.init(path: "", line: nil, message: "expected a mapping with version: 1")])
        }
        func line(_ node: Node) -> Int { node.mark.map { $0.line } ?? 0 }
        var ttl: [Need: Int] = [:]
        var kept = 5
        var sawVersion = false
        for (keyNode, value) in root {
            let key = keyNode.string ?? ""
            switch key {
            case "version":
                sawVersion = true
                if value.int != 1 { problems.append(.init(path: "version", line: line(value), message: "must be 1")) }
            case "provenance_kept":
                if let number = value.int, (1...100).contains(number) { kept = number }
                else { problems.append(.init(path: key, line: line(value), message: "must be a whole number from 1 to 100")) }
            case "ttl_days":
                guard let mapping = value.mapping else {
                    problems.append(.init(path: key, line: line(value), message: "must map each need id to a number of days"))
                    continue
                }
                for (needNode, daysNode) in mapping {
                    let name = needNode.string ?? ""
                    guard let need = Need(rawValue: name) else {
                        problems.append(.init(path: "ttl_days.\(name)", line: line(needNode), message: "unknown need id (taxonomy.json)"))
                        continue
                    }
                    guard let days = daysNode.int, days > 0, days <= 3650 else {
                        problems.append(.init(path: "ttl_days.\(name)", line: line(daysNode), message: "must be a whole number of days from 1 to 3650"))
                        continue
                    }
                    ttl[need] = days
                }
                for need in Need.allCases where ttl[need] == nil && mapping[Node(need.rawValue)] == nil {
                    problems.append(.init(path: "ttl_days.\(need.rawValue)", line: line(value), message: "missing: every need needs a TTL"))
                }
            default:
                problems.append(.init(path: key, line: line(keyNode), message: "unknown key"))
            }
        }
        if !sawVersion { problems.append(.init(path: "version", line: nil, message: "missing (version: 1)")) }
        guard problems.isEmpty else { throw ConfigurationError(file: file, problems: problems) }
        return TagPolicy(ttlDays: ttl, provenanceKept: kept)
    }
}

/// Every problem found in one configuration file, with where it is.
public struct ConfigurationError: Error, Sendable, Equatable, CustomStringConvertible {
    public struct Problem: Sendable, Equatable {
        /// Key path, e.g. `ttl_days.home_purchase`.
        public let path: String
        public let line: Int?
        public let message: String
    }

    public let file: String
    public let problems: [Problem]

    public var description: String {
        "configuration errors in \(file) (配置文件有误):\n" + problems.map { problem in
            "  \(file)\(problem.line.map { ":\($0)" } ?? ""): \(problem.path.isEmpty ? "" : problem.path + ": ")\(problem.message)"
        }.joined(separator: "\n")
    }
}
