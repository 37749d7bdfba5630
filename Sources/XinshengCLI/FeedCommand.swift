import ArgumentParser
import Foundation
import Profiles

struct FeedCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "feed",
        abstract: "Read the need-tag change feed, or expire tags whose time is up.",
        discussion: """
        Every change of a need-tag (added, strengthened, withdrawn, expired) is
        an event with a per-tenant sequence number: ordered, no gaps, replayable.

        Examples:
          xinsheng feed read --after 0 --limit 100
          xinsheng feed expire
        """,
        subcommands: [FeedReadCommand.self, FeedExpireCommand.self]
    )
}

struct FeedReadCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "read",
        abstract: "Print feed events after a cursor, one JSON object per line.",
        discussion: """
        Events of one tenant are numbered 1, 2, 3… with no gaps. Keep the last
        sequence you processed and pass it as --after next time; reading again
        from an older cursor returns the identical events, so a consumer that
        crashed re-reads and dedupes on the sequence (or the event id).

        Examples:
          xinsheng feed read --after 0 --limit 100
          xinsheng feed read --tenant bank-a --after 4211 --follow
        """
    )

    @Option(name: .long, help: ArgumentHelp("Print events with a sequence above this.", valueName: "seq"))
    var after: Int64 = 0

    @Option(name: .long, help: ArgumentHelp("At most this many events (per poll with --follow).", valueName: "n"))
    var limit: Int = 1000

    @Flag(name: .long, help: "Keep polling for new events until interrupted.")
    var follow = false

    @Option(name: .long, help: ArgumentHelp("Seconds between polls with --follow.", valueName: "seconds"))
    var interval: Double = 1

    @OptionGroup var store: StoreOptions

    func validate() throws {
        guard after >= 0 else { throw ValidationError("--after must be 0 or more") }
        guard (1...100_000).contains(limit) else { throw ValidationError("--limit must be between 1 and 100000") }
        guard interval > 0 else { throw ValidationError("--interval must be positive") }
    }

    func run() async throws {
        let profiles = try await store.openStore()
        var cursor = after
        repeat {
            let events = try await profiles.feed(tenant: store.tenant, after: cursor, limit: limit)
            for event in events {
                print(try CLIJSON.string(event))
                cursor = event.sequence
            }
            if follow && events.count < limit { try await Task.sleep(for: .seconds(interval)) }
        } while follow
    }
}

struct FeedExpireCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "expire",
        abstract: "Expire every active tag past its expiry, publishing an event each.",
        discussion: """
        Safe to run at any time and from several places at once: a tag expires
        once. Prints how many tags expired.

        Example:
          xinsheng feed expire
        """
    )

    @OptionGroup var store: StoreOptions

    func run() async throws {
        let events = try await store.openStore().expire(now: Date())
        print("expired \(events.count) tag(s)")
    }
}
