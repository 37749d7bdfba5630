import Foundation

/// The label contract as shipped in `../shared/taxonomy.json`.
///
/// The project keeps its own copy as a resource of this target; tests compare
/// it with the shared file and with the enums, so a drift in either fails.
public struct TaxonomyContract: Codable, Equatable, Sendable {
    public let sentiment: [String]
    public let emotions: [String]
    public let intents: [String]
    public let needs: [String]
    public let channels: [String]

    /// The contract bundled with this build.
    public static func bundled() throws -> TaxonomyContract {
        try decode(bundledData())
    }

    /// The raw bytes of the bundled `taxonomy.json`.
    public static func bundledData() throws -> Data {
        guard let url = Bundle.module.url(forResource: "taxonomy", withExtension: "json") else {
            throw TaxonomyError.resourceMissing
        }
        return try Data(contentsOf: url)
    }

    /// Decodes a contract from JSON bytes.
    /// - Throws: `TaxonomyError.malformed` when the JSON does not have the contract's shape.
    public static func decode(_ data: Data) throws -> TaxonomyContract {
        do {
            return try JSONDecoder().decode(TaxonomyContract.self, from: data)
        } catch {
            throw TaxonomyError.malformed(reason: String(describing: error))
        }
    }

    /// A stable fingerprint of the contract (FNV-1a 64 over the ids in order),
    /// recorded in model metadata so a model trained on other labels is refused.
    public var fingerprint: String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for list in [sentiment, emotions, intents, needs, channels] {
            for id in list {
                for byte in id.utf8 { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 }
                hash = (hash ^ 0x1f) &* 0x0000_0100_0000_01b3
            }
            hash = (hash ^ 0x1e) &* 0x0000_0100_0000_01b3
        }
        return String(hash, radix: 16, uppercase: false)
    }

    /// The contract the enums of this module describe.
    public static var ofEnums: TaxonomyContract {
        TaxonomyContract(
            sentiment: Sentiment.allCases.map(\.rawValue),
            emotions: Emotion.allCases.map(\.rawValue),
            intents: Intent.allCases.map(\.rawValue),
            needs: Need.allCases.map(\.rawValue),
            channels: Channel.allCases.map(\.rawValue)
        )
    }
}

/// Problems reading the label contract.
public enum TaxonomyError: Error, CustomStringConvertible, Equatable {
    case resourceMissing
    case malformed(reason: String)

    /// A stable code for logs and APIs.
    public var code: String {
        switch self {
        case .resourceMissing: "taxonomy.resource_missing"
        case .malformed: "taxonomy.malformed"
        }
    }

    public var description: String {
        switch self {
        case .resourceMissing: "taxonomy.json is missing from the Taxonomy resources"
        case .malformed(let reason): "taxonomy.json is malformed: \(reason)"
        }
    }
}
