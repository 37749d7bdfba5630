/// Where a text came from (taxonomy: `chat` turn or `comment`). Raw values are contract ids.
public enum Channel: String, CaseIterable, Codable, Sendable {
    case chat
    case comment
}
