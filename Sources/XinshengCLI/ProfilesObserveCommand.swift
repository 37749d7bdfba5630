import Analysis
import ConversationService
import ArgumentParser
import Foundation
import Profiles
import Taxonomy

struct ProfilesObserveCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "observe",
        abstract: "Analyse one customer turn and write the needs it shows to the customer's profile.",
        discussion: """
        The turn goes through the whole pipeline (normalise, mask, classify)
        and the conversation rules (a need is held at confidence 0.5 or more;
        a cancelled need is withdrawn). The held and withdrawn needs become one
        idempotent write keyed by conversation and turn (conv:<id>:<turn>), so
        running the same command twice changes nothing. The store keeps the
        masked evidence only. Prints the feed events it published.

        Examples:
          xinsheng profiles observe --customer c-1001 --conversation demo-1 --turn 1 "下个月拿钥匙，装修想分期"
          xinsheng profiles observe --customer c-1001 --conversation demo-1 --turn 3 "公司裁员名单有我，房贷下个月还不上了"
        """
    )

    @Option(name: .long, help: ArgumentHelp("The customer id.", valueName: "id"))
    var customer: String

    @Option(name: .long, help: ArgumentHelp("Conversation id (with --turn, the idempotency key).", valueName: "id"))
    var conversation: String

    @Option(name: .long, help: ArgumentHelp("Turn number in the conversation.", valueName: "n"))
    var turn: Int

    @Option(name: .long, help: ArgumentHelp("When the turn was said (ISO 8601).", discussion: "Default: now.", valueName: "time"))
    var at: Timestamp?

    @Argument(help: ArgumentHelp("The customer's words.", valueName: "text"))
    var text: String

    @OptionGroup var pipeline: PipelineOptions
    @OptionGroup var model: ModelOptions
    @OptionGroup var store: StoreOptions

    func validate() throws {
        guard !customer.isEmpty, !conversation.isEmpty else { throw ValidationError("--customer and --conversation must not be empty") }
        guard turn >= 1 else { throw ValidationError("--turn must be 1 or more") }
    }

    func run() async throws {
        let analyzer = try model.makeAnalyzer(pipeline)
        let analysed = try analyzer.analyzeTurn(text, turn: turn, speaker: .customer)
        let state = ConversationAggregator().fold(conversationID: conversation, turns: [analysed])
        let write = analyzer.tagWrite(tenant: store.tenant, customerID: customer, key: TagWrite.key(conversation: conversation, turn: turn),
                                      source: .conversation(id: conversation, turn: turn), at: at?.date ?? Date(),
                                      observations: state.observations)
        let profiles = try await store.openStore()
        let outcome = try await profiles.record(write)
        if outcome.duplicate {
            print("turn \(conversation) #\(turn) was recorded before; nothing changed (已记录过)")
            return
        }
        print("masked: \(analysed.analysis?.maskedText ?? "")")
        if outcome.events.isEmpty { print("no need-tag changed (需求标签无变化)") }
        for event in outcome.events {
            print("#\(event.sequence) \(event.kind.rawValue) \(event.tag.need.rawValue) (\(event.tag.need.chineseName)) confidence \(String(format: "%.2f", event.tag.confidence))")
        }
    }
}
