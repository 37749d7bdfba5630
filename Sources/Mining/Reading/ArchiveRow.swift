import Foundation

/// One record mapped onto what mining needs: the text, and where it came from.
public struct ArchiveRow: Sendable, Equatable {
    /// The file's name as given on the command line.
    public let file: String
    public let line: Int
    public let number: Int
    public let id: String?
    public let customerID: String?
    public let text: String
    /// When the text was written, when the time field was readable.
    public let time: Date?

    /// Maps a record's fields.
    /// - Parameter maxTextBytes: a longer text is rejected (`tooLarge`), as the live API does.
    public static func map(_ fields: [String: String], mapping: ArchiveMapping, file: String, line: Int, number: Int,
                           maxTextBytes: Int) -> Result<ArchiveRow, ArchiveRowError> {
        guard let raw = fields[mapping.textField] else { return .failure(.missingText(field: mapping.textField)) }
        if raw == JSONLRecordReader.listMarker { return .failure(.notText(field: mapping.textField)) }
        let text = raw.trimmedOfWhitespace()
        if text.isEmpty { return .failure(.missingText(field: mapping.textField)) }
        if text.utf8.count > maxTextBytes { return .failure(.tooLarge(bytes: text.utf8.count, limit: maxTextBytes)) }
        func value(_ name: String) -> String? {
            guard let value = fields[name]?.trimmedOfWhitespace(), !value.isEmpty,
                  value != JSONLRecordReader.listMarker else { return nil }
            return value
        }
        let customer = value(mapping.customerField).map { String($0.prefix(128)) }
        return .success(ArchiveRow(file: file, line: line, number: number, id: value(mapping.idField), customerID: customer,
                                   text: text, time: value(mapping.timeField).flatMap(RowTimeParser.parse)))
    }
}

extension String {
    /// The string without leading and trailing white space (Unicode's
    /// White_Space: spaces, tabs, line breaks, U+3000…). Most archive
    /// fields have none, and then the string itself comes back, uncopied —
    /// unlike Foundation's `trimmingCharacters`, which copies through NSString.
    func trimmedOfWhitespace() -> String {
        let scalars = unicodeScalars
        guard let first = scalars.first, let last = scalars.last else { return self }
        if !first.properties.isWhitespace && !last.properties.isWhitespace { return self }
        guard let start = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
              let end = scalars.lastIndex(where: { !$0.properties.isWhitespace }) else { return "" }
        return String(scalars[start...end])
    }
}

/// Reads the time forms archives use: ISO 8601 (with or without a time or
/// zone), `2025-03-04 12:30:00`, `2025/3/4`, and Unix time in seconds or
/// milliseconds. Times without a zone are taken as UTC+8 (China Standard Time).
public enum RowTimeParser {
    static let chinaOffset = 8 * 3600

    public static func parse(_ value: String) -> Date? {
        if let number = Double(value), value.allSatisfy({ $0.isNumber || $0 == "." }) {
            if number > 100_000_000_000 { return Date(timeIntervalSince1970: number / 1000) }
            if number > 100_000_000 { return Date(timeIntervalSince1970: number) }
            return nil
        }
        let scalars = Array(value.unicodeScalars)
        var index = 0
        func number(maxDigits: Int) -> Int? {
            var result = 0, digits = 0
            while index < scalars.count, digits < maxDigits, let digit = scalars[index].properties.numericType == .decimal
                ? Int(String(scalars[index])) : nil {
                result = result * 10 + digit
                digits += 1
                index += 1
            }
            return digits == 0 ? nil : result
        }
        func skip(_ separators: Set<Character>) -> Bool {
            guard index < scalars.count, separators.contains(Character(scalars[index])) else { return false }
            index += 1
            return true
        }
        guard let year = number(maxDigits: 4), (1970...2100).contains(year), skip(["-", "/", "年", "."]),
              let month = number(maxDigits: 2), (1...12).contains(month) else { return nil }
        var day = 1
        if skip(["-", "/", "月", "."]), let parsed = number(maxDigits: 2) { day = parsed }
        guard (1...31).contains(day) else { return nil }
        _ = skip(["日"])
        var hour = 0, minute = 0, second = 0
        if skip(["T", " "]), let parsed = number(maxDigits: 2) {
            hour = parsed
            if skip([":"]), let parsed = number(maxDigits: 2) { minute = parsed }
            if skip([":"]), let parsed = number(maxDigits: 2) { second = parsed }
            if skip([".", ","]) { _ = number(maxDigits: 9) }
        }
        var offset = chinaOffset
        if index < scalars.count {
            if skip(["Z"]) { offset = 0 }
            else if index < scalars.count, let sign = ["+": 1, "-": -1][Character(scalars[index])] {
                index += 1
                let hours = number(maxDigits: 2) ?? 0
                _ = skip([":"])
                let minutes = number(maxDigits: 2) ?? 0
                offset = sign * (hours * 3600 + minutes * 60)
            }
        }
        var components = DateComponents()
        components.year = year; components.month = month; components.day = day
        components.hour = hour; components.minute = minute; components.second = second
        components.timeZone = TimeZone(secondsFromGMT: offset)
        return calendar.date(from: components)
    }

    static let calendar: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(secondsFromGMT: chinaOffset)!
        return calendar
    }()

    /// "2025-03", in China Standard Time.
    public static func month(of date: Date) -> String {
        let parts = calendar.dateComponents([.year, .month], from: date)
        return String(format: "%04d-%02d", parts.year ?? 0, parts.month ?? 0)
    }
}
