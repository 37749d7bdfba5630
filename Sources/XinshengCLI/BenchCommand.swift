import ArgumentParser

struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure throughput and quality against a baseline measured in the same run.",
        discussion: """
        Benchmarks print figures and ratios; they are not tests and never fail on
        speed. Run them on an idle machine.

        Examples:
          xinsheng bench analyze corpus.txt
          xinsheng bench segment corpus.txt
          xinsheng bench sighan --test pku_test.utf8 --gold pku_test_gold.utf8
          xinsheng bench offers
          xinsheng bench live --rate 500 --duration 30
        """,
        subcommands: [BenchAnalyzeCommand.self, BenchSegmentCommand.self, BenchSighanCommand.self, BenchOffersCommand.self, BenchLiveCommand.self, BenchMineCommand.self]
    )
}
