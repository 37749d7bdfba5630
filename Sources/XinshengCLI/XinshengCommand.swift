import ArgumentParser

/// `xinsheng`: the one binary for every job (the service, batch mining,
/// training and evaluation join it with their issues).
@main
struct XinshengCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "xinsheng",
        abstract: "心声 Xinsheng — understand what retail-bank customers say.",
        discussion: """
        Reads Chinese customer-service turns and app comments, normalises them
        (NFKC, full-width → half-width, Traditional → Simplified), masks personal
        data, segments them with the domain lexicons, and tells their sentiment,
        emotions, intent and latent needs with the words that justify each.

        Examples:
          xinsheng serve
          xinsheng analyze "下个月拿钥匙，装修想分期，我手机13912345678"
          echo "帳戶被凍結了！！！" | xinsheng normalize
          xinsheng segment --tags < turns.txt
          xinsheng corpus check
          xinsheng train
          xinsheng eval corpora --split dev
          xinsheng bench analyze corpus.txt
          xinsheng profiles import customers.csv
          xinsheng feed read --after 0 --limit 100
          xinsheng offers suggest --customer c-1001
          xinsheng check-config
        """,
        subcommands: [
            AnalyzeCommand.self, NormalizeCommand.self, MaskCommand.self, SegmentCommand.self, TrainCommand.self, EvalCommand.self,
            ServeCommand.self, MineCommand.self, CorpusCommand.self, BenchCommand.self, ProfilesCommand.self, FeedCommand.self, OffersCommand.self, CheckConfigCommand.self,
            KeysCommand.self,
        ]
    )
}
