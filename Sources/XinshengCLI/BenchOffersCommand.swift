import ArgumentParser
import Foundation
import Offers
import Profiles
import Taxonomy

struct BenchOffersCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "offers",
        abstract: "Offer decisions per second on one core, against a candidates-only baseline in the same run.",
        discussion: """
        Draws reproducible random customers (profile, consent, need-tags,
        contact history, channel, clock) over the rules in config/, then times
        on one thread: the baseline (finding each customer's candidate offers
        from their active tags, nothing else) and the full OfferEvaluator
        decision with reasons and suppressions. The target is 100,000
        decisions per second on one core.

        Examples:
          xinsheng bench offers
          xinsheng bench offers --customers 50000 --rounds 5 --format json
        """
    )

    @Option(name: .long, help: ArgumentHelp("Random customers to decide for, per pass.", valueName: "n"))
    var customers: Int = 20_000

    @Option(name: .long, help: ArgumentHelp("Timed passes (the best is kept).", valueName: "n"))
    var rounds: Int = 5

    @Option(name: .long, help: ArgumentHelp("Seed of the random customers.", valueName: "n"))
    var seed: UInt64 = 20_261_123

    @Option(name: .long, help: ArgumentHelp("text or json.", valueName: "format"))
    var format: OutputFormat = .text

    @OptionGroup var config: ConfigOptions

    static let target = 100_000.0

    func validate() throws {
        guard (100...10_000_000).contains(customers) else { throw ValidationError("--customers must be between 100 and 10000000") }
        guard (1...100).contains(rounds) else { throw ValidationError("--rounds must be between 1 and 100") }
    }

    func run() throws {
        let rules = try config.loadOfferRules()
        let evaluator = OfferEvaluator(rules: rules)
        var workload = OfferWorkload(rules: rules, seed: seed)
        let contexts = (0..<customers).map { _ in workload.nextContext() }
        var offersByNeed: [Need: [Int]] = [:]
        for (index, offer) in rules.catalogue.offers.enumerated() {
            for need in offer.needs { offersByNeed[need, default: []].append(index) }
        }

        var candidates = 0, offered = 0, suppressed = 0
        let seconds = BenchTiming.bestSeconds([
            {
                candidates = 0
                for context in contexts {
                    var seen = Set<Int>()
                    for tag in context.tags where tag.status == .active && tag.expiresAt > context.now {
                        for index in offersByNeed[tag.need] ?? [] { seen.insert(index) }
                    }
                    candidates += seen.count
                }
            },
            {
                offered = 0
                suppressed = 0
                for context in contexts {
                    let decision = evaluator.decide(context)
                    offered += decision.offers.count
                    suppressed += decision.suppressed.count
                }
            },
        ], rounds: rounds)
        let rates = seconds.map { Double(customers) / $0 }
        let ratio = rates[1] / rates[0]
        if format.isJSON(jsonlInput: false) {
            let report: [String: Double] = [
                "customers": Double(customers), "rounds": Double(rounds),
                "baseline_decisions_per_second": rates[0], "decisions_per_second": rates[1],
                "ratio_to_baseline": ratio, "target_decisions_per_second": Self.target,
                "mean_microseconds_per_decision": 1e6 / rates[1],
            ]
            print(try CLIJSON.string(report))
            return
        }
        print("xinsheng bench offers: \(customers) random customers (seed \(seed)), \(rules.catalogue.offers.count) offers; 1 core; best of \(rounds) passes")
        print(String(format: "per customer: %.2f candidate offers, %.2f offered, %.2f suppressed",
                     Double(candidates) / Double(customers), Double(offered) / Double(customers), Double(suppressed) / Double(customers)))
        print("")
        print(BenchTiming.pad("stage", 52) + BenchTiming.pad("decisions/s", 14) + BenchTiming.pad("µs each", 10) + "ratio to baseline")
        let names = ["baseline: candidate offers from active tags", "OfferEvaluator.decide (reasons + suppressions)"]
        for (index, name) in names.enumerated() {
            print(BenchTiming.pad(name, 52) + BenchTiming.pad(String(format: "%.0f k", rates[index] / 1e3), 14)
                  + BenchTiming.pad(String(format: "%.2f", 1e6 / rates[index]), 10) + String(format: "%.2f×", rates[index] / rates[0]))
        }
        print("")
        print(String(format: "target: ≥ %.0f k decisions/s on one core — %@", Self.target / 1e3, rates[1] >= Self.target ? "met" : "NOT met"))
    }
}
