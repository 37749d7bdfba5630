import Foundation

/// Parses `{"id": …, "text": …}` input lines.
enum JSONLInput {
    static func parse(_ line: String, line number: Int) -> InputRecord {
        guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else {
            return InputRecord(line: number, id: nil, content: .failure(.notJSONObject))
        }
        var id: String?
        if let string = object["id"] as? String { id = string }
        else if let number = object["id"] as? NSNumber { id = number.stringValue }
        guard let text = object["text"] as? String else {
            return InputRecord(line: number, id: id, content: .failure(.missingText))
        }
        return InputRecord(line: number, id: id, content: .success(text))
    }
}
