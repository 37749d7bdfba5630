import ArgumentParser
import CSV
import Foundation
import Profiles
import Taxonomy

struct ProfilesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "profiles",
        abstract: "Import customer attributes and consent; show a customer's profile and need-tags.",
        discussion: """
        The profile store is the embedded SQLite file <data dir>/profiles.sqlite
        (created on first use); --tenant picks whose customers you see.

        Examples:
          xinsheng profiles import customers.csv
          xinsheng profiles observe --customer c-1001 --conversation demo-1 --turn 1 "下个月拿钥匙，装修想分期"
          xinsheng profiles show --customer c-1001
        """,
        subcommands: [ProfilesImportCommand.self, ProfilesShowCommand.self, ProfilesObserveCommand.self, ProfilesCrashWriterCommand.self]
    )
}

struct ProfilesImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Create or replace customer profiles from a JSONL or CSV file.",
        discussion: """
        JSONL: one object per line with customer_id and any of age_band,
        segment, products_held (list), marketing_consent (object of channel →
        true/false; channels agent, app_push, sms, phone) and timezone (IANA,
        default Asia/Shanghai). A "tenant" field, if present, must match --tenant.

        CSV (UTF-8, header row): customer_id, and any of age_band, segment,
        products_held (separated by ;), consent_agent, consent_app_push,
        consent_sms, consent_phone (true/false, yes/no, 1/0), timezone.

        Bad rows are reported with their line and skipped; the command fails at
        the end if any were. Customer data never appears in the messages.

        Examples:
          xinsheng profiles import customers.jsonl
          xinsheng profiles import --tenant bank-a customers.csv
        """
    )

    @Argument(help: ArgumentHelp("A .jsonl or .csv file.", valueName: "file"))
    var file: String

    @OptionGroup var store: StoreOptions

    func run() async throws {
        let url = URL(fileURLWithPath: file)
        guard FileManager.default.isReadableFile(atPath: url.path) else { throw CLIError.cannotOpen(path: file) }
        let rows: [(line: Int, result: Result<CustomerProfile, ProfileImportError>)]
        switch url.pathExtension.lowercased() {
        case "jsonl", "json": rows = try ProfileImport.jsonl(url, tenant: store.tenant)
        case "csv": rows = try ProfileImport.csv(url, tenant: store.tenant)
        default: throw CLIError.badInput(path: file, reason: "the file must end in .jsonl or .csv (仅支持 JSONL 或 CSV)")
        }
        let profiles = try await store.openStore()
        var imported = 0, rejected = 0
        for (line, result) in rows {
            switch result {
            case .success(let profile):
                try await profiles.upsert(profile)
                imported += 1
            case .failure(let error):
                rejected += 1
                FileHandle.standardError.write(Data("\(file):\(line): \(error)\n".utf8))
            }
        }
        print("imported \(imported) profile(s) into tenant \(store.tenant)" + (rejected > 0 ? ", rejected \(rejected)" : ""))
        if rejected > 0 { throw CLIError.someLinesRejected(rejected: rejected, total: imported + rejected) }
    }
}

struct ProfilesShowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Print a customer's attributes and need-tags (with provenance) as JSON.",
        discussion: """
        Example:
          xinsheng profiles show --customer c-1001
        """
    )

    @Option(name: .long, help: ArgumentHelp("Customer id.", valueName: "id"))
    var customer: String

    @OptionGroup var store: StoreOptions

    func run() async throws {
        let profiles = try await store.openStore()
        struct View: Encodable {
            let profile: CustomerProfile?
            let tags: [NeedTag]
            let confidenceNow: [String: Double]
            enum CodingKeys: String, CodingKey {
                case profile, tags
                case confidenceNow = "confidence_now"
            }
        }
        let tags = try await profiles.tags(tenant: store.tenant, customerID: customer)
        let now = Date()
        let view = View(profile: try await profiles.profile(tenant: store.tenant, customerID: customer), tags: tags,
                        confidenceNow: Dictionary(uniqueKeysWithValues: tags.map { ($0.need.rawValue, ($0.confidence(at: now) * 10_000).rounded() / 10_000) }))
        print(try CLIJSON.string(view, pretty: true))
    }
}

/// Why one row of a profile import was refused (no customer data in the message).
enum ProfileImportError: Error, CustomStringConvertible {
    case invalidJSON
    case missingCustomerID
    case otherTenant
    case badConsent(column: String)
    case unknownTimeZone
    case invalid(String)

    var description: String {
        switch self {
        case .invalidJSON: "not a valid profile object (不是有效的客户资料)"
        case .missingCustomerID: "customer_id is missing (缺少 customer_id)"
        case .otherTenant: "the row's tenant differs from --tenant (租户不一致)"
        case .badConsent(let column): "\(column) must be true/false, yes/no or 1/0 (授权字段无效)"
        case .unknownTimeZone: "unknown time zone (时区无效)"
        case .invalid(let reason): "\(reason) (字段无效)"
        }
    }
}

enum ProfileImport {
    static func jsonl(_ url: URL, tenant: String) throws -> [(line: Int, result: Result<CustomerProfile, ProfileImportError>)] {
        guard let data = FileManager.default.contents(atPath: url.path) else { throw CLIError.cannotOpen(path: url.path) }
        var rows: [(Int, Result<CustomerProfile, ProfileImportError>)] = []
        for (index, raw) in data.split(separator: 0x0A, omittingEmptySubsequences: false).enumerated() {
            let line = raw.last == 0x0D ? raw.dropLast() : raw
            if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { continue }
            guard var object = (try? JSONSerialization.jsonObject(with: Data(line))) as? [String: Any] else {
                rows.append((index + 1, .failure(.invalidJSON)))
                continue
            }
            if let rowTenant = object["tenant"] as? String, rowTenant != tenant {
                rows.append((index + 1, .failure(.otherTenant)))
                continue
            }
            guard (object["customer_id"] as? String).map({ !$0.isEmpty }) == true else {
                rows.append((index + 1, .failure(.missingCustomerID)))
                continue
            }
            object["tenant"] = tenant
            do {
                let profile = try JSONDecoder().decode(CustomerProfile.self, from: JSONSerialization.data(withJSONObject: object))
                rows.append((index + 1, .success(profile)))
            } catch DecodingError.dataCorrupted(let context) {
                rows.append((index + 1, .failure(.invalid(context.debugDescription.contains("time zone") ? "unknown time zone" : "a field has the wrong form"))))
            } catch {
                rows.append((index + 1, .failure(.invalidJSON)))
            }
        }
        return rows
    }

    static func csv(_ url: URL, tenant: String) throws -> [(line: Int, result: Result<CustomerProfile, ProfileImportError>)] {
        guard let stream = InputStream(fileAtPath: url.path) else { throw CLIError.cannotOpen(path: url.path) }
        let reader = try CSVReader(stream: stream, hasHeaderRow: true, trimFields: true)
        guard let header = reader.headerRow, header.contains("customer_id") else {
            throw CLIError.badInput(path: url.path, reason: "needs a header row with a customer_id column (缺少表头)")
        }
        let column = Dictionary(header.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        var rows: [(Int, Result<CustomerProfile, ProfileImportError>)] = []
        var record = 1
        while let fields = reader.next() {
            record += 1
            func field(_ name: String) -> String? {
                guard let index = column[name], index < fields.count, !fields[index].isEmpty else { return nil }
                return fields[index]
            }
            guard let customer = field("customer_id") else {
                rows.append((record, .failure(.missingCustomerID)))
                continue
            }
            var consent: [ContactChannel: Bool] = [:]
            var bad: ProfileImportError?
            for channel in ContactChannel.allCases {
                let name = "consent_\(channel.rawValue)"
                guard let value = field(name) else { continue }
                switch value.lowercased() {
                case "true", "yes", "1", "y": consent[channel] = true
                case "false", "no", "0", "n": consent[channel] = false
                default: bad = .badConsent(column: name)
                }
            }
            let timezone = field("timezone") ?? "Asia/Shanghai"
            if TimeZone(identifier: timezone) == nil { bad = .unknownTimeZone }
            if let bad {
                rows.append((record, .failure(bad)))
                continue
            }
            let products = field("products_held")?.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty } ?? []
            rows.append((record, .success(CustomerProfile(tenant: tenant, customerID: customer, ageBand: field("age_band"),
                                                          segment: field("segment"), productsHeld: products,
                                                          marketingConsent: consent, timezone: timezone))))
        }
        // CSV.swift reports the end of a file stream as `cannotReadFile` on Linux: only decoding
        // and stream errors are real.
        switch reader.error as? CSVError {
        case .unicodeDecoding?: throw CLIError.badInput(path: url.path, reason: "not UTF-8 near record \(record + 1); convert it first, e.g. iconv -f GBK -t UTF-8 (不是 UTF-8 编码)")
        case .streamErrorHasOccurred?: throw CLIError.badInput(path: url.path, reason: "read error near record \(record + 1) (读取失败)")
        default: break
        }
        return rows
    }
}

/// A deterministic stream of tag writes, for the crash tests: write number
/// i always carries the same key, customer, need and stance, so a run that
/// is killed and started again must end exactly where one uninterrupted run
/// ends. Hidden from --help.
struct ProfilesCrashWriterCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "crash-writer",
        abstract: "Write a fixed sequence of need-tag observations (crash-test helper).",
        discussion: """
        Example:
          xinsheng profiles crash-writer --writes 200 --data-dir /tmp/crash
        """,
        shouldDisplay: false
    )

    @Option(name: .long, help: ArgumentHelp("How many writes.", valueName: "n"))
    var writes: Int = 200

    @Option(name: .long, help: ArgumentHelp("First write to make (earlier ones are assumed done; repeating them is harmless).", valueName: "i"))
    var from: Int = 0

    @OptionGroup var store: StoreOptions

    func run() async throws {
        let profiles = try await store.openStore()
        // Tell the test the store is open, and after each commit which write it was,
        // so its kill lands among the writes whatever the machine's load.
        FileHandle.standardOutput.write(Data("writing\n".utf8))
        let base = Date(timeIntervalSince1970: 1_790_000_000)
        for index in max(0, from)..<max(max(0, from), writes) {
            let need = Need.allCases[index % Need.allCases.count]
            let stance: NeedObservation.Stance = index % 5 == 4 ? .withdrawn : .present
            let observations = [NeedObservation(need: need, stance: stance, confidence: 0.5 + Double(index % 5) / 10,
                                                evidence: [MaskedEvidence(start: 0, end: 2, text: "装修")])]
                + (index % 3 == 0 ? [NeedObservation(need: .wealthGrowth == need ? .education : .wealthGrowth, stance: .present, confidence: 0.6)] : [])
            _ = try await profiles.record(TagWrite(
                tenant: store.tenant, customerID: "c-\(index % 7)", idempotencyKey: "crash:\(index)",
                source: .archive(file: "crash.jsonl", line: index + 1), observedAt: base.addingTimeInterval(Double(index)),
                modelVersion: "crash-test", lexiconVersion: "crash-test", observations: observations))
            FileHandle.standardOutput.write(Data("\(index)\n".utf8))
        }
    }
}
