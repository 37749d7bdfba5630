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
        try ConfigDocument(contentsOf: url).value(read)
    }

    public static func parse(_ yaml: String, file: String) throws(ConfigurationError) -> TagPolicy {
        try ConfigDocument(yaml: yaml, file: file).value(read)
    }

    /// Reads a `tags.yaml` document, recording every problem in it.
    public static func read(_ document: ConfigDocument) -> TagPolicy {
        guard let root = document.root else { return TagPolicy(ttlDays: [:]) }
        let fields = document.fields(root, at: "", allowed: ["ttl_days", "provenance_kept"], required: ["ttl_days"])
        let kept = fields["provenance_kept"].map { document.int($0, at: "provenance_kept", in: 1...100) } ?? 5
        var ttl: [Need: Int] = [:]
        if let mapping = document.mapping(fields["ttl_days"], at: "ttl_days") {
            for (needNode, daysNode) in mapping {
                let path = "ttl_days.\(needNode.string ?? "")"
                guard let need = document.choice(needNode, at: path, of: Need.self),
                      let days = document.int(daysNode, at: path, in: 1...3650) else { continue }
                ttl[need] = days
            }
            for need in Need.allCases where mapping[Node(need.rawValue)] == nil {
                document.problem("ttl_days.\(need.rawValue)", fields["ttl_days"], "missing: every need needs a TTL (每个需求都要有有效期)")
            }
        }
        return TagPolicy(ttlDays: ttl, provenanceKept: kept ?? 5)
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
