import Foundation

/// Reads Chinese numerals (一千二百, 两万五, 十万, 一点五万, 壹仟) into values.
enum ChineseNumeral {
    static let ten: UInt16 = 0x5341 // 十
    static let mao: UInt16 = 0x6BDB // 毛
    static let jiao: UInt16 = 0x89D2 // 角
    static let point: UInt16 = 0x70B9 // 点

    /// 零〇一二两三四五六七八九 and the formal 壹贰叁肆伍陆柒捌玖. A switch, not a
    /// dictionary: this runs for every character of every text.
    @inline(__always)
    static func digit(_ unit: UInt16) -> Int? {
        switch unit {
        case 0x96F6, 0x3007: 0
        case 0x4E00, 0x58F9: 1
        case 0x4E8C, 0x4E24, 0x8D30: 2
        case 0x4E09, 0x53C1: 3
        case 0x56DB, 0x8086: 4
        case 0x4E94, 0x4F0D: 5
        case 0x516D, 0x9646: 6
        case 0x4E03, 0x67D2: 7
        case 0x516B, 0x634C: 8
        case 0x4E5D, 0x7396: 9
        default: nil
        }
    }

    /// 十 百 千 (and the formal 拾 佰 仟).
    @inline(__always)
    static func smallMagnitude(_ unit: UInt16) -> Decimal? {
        switch unit {
        case 0x5341, 0x62FE: 10
        case 0x767E, 0x4F70: 100
        case 0x5343, 0x4EDF: 1_000
        default: nil
        }
    }

    /// 万 亿: section magnitudes.
    @inline(__always)
    static func sectionMagnitude(_ unit: UInt16) -> Decimal? {
        switch unit {
        case 0x4E07: 10_000
        case 0x4EBF: 100_000_000
        default: nil
        }
    }

    @inline(__always)
    static func isNumeral(_ unit: UInt16) -> Bool {
        digit(unit) != nil || smallMagnitude(unit) != nil || sectionMagnitude(unit) != nil
    }

    struct Parsed {
        var value: Decimal
        var end: Int
        /// Whether the numeral uses 百, 千, 万 or 亿 (a bare 二十 does not).
        var hasMagnitudeFromHundred: Bool
    }

    /// Parses the longest numeral starting at `start` (which must be a digit or 十).
    static func parse(_ units: [UInt16], from start: Int) -> Parsed? {
        var total: Decimal = 0      // completed sections (亿, 万)
        var section: Decimal = 0    // within the current section
        var pendingDigit: Int? = nil
        var lastSmallMagnitude: Decimal? = nil
        var lastSectionMagnitude: Decimal? = nil
        var usedBig = false
        var index = start
        var consumedAny = false
        var zeroSeen = false
        while index < units.count {
            let unit = units[index]
            if let digit = digit(unit) {
                if pendingDigit != nil && digit != 0 && pendingDigit != 0 { break } // 一九九八: not an amount
                if digit == 0 { zeroSeen = true }
                pendingDigit = digit
                index += 1
                consumedAny = true
            } else if let magnitude = smallMagnitude(unit) {
                if let last = lastSmallMagnitude, pendingDigit == nil, magnitude <= last { break }
                let multiplier = Decimal(pendingDigit ?? (magnitude == 10 ? 1 : 0))
                if pendingDigit == nil && magnitude != 10 { break }
                section += multiplier * magnitude
                pendingDigit = nil
                lastSmallMagnitude = magnitude
                if magnitude >= 100 { usedBig = true }
                index += 1
                consumedAny = true
            } else if let magnitude = sectionMagnitude(unit) {
                guard consumedAny else { break }
                if let last = lastSectionMagnitude, magnitude >= last {
                    // 一万亿: 万 then 亿 multiplies the whole.
                    total = (total + section + Decimal(pendingDigit ?? 0)) * magnitude
                } else {
                    total += (section + Decimal(pendingDigit ?? 0)) * magnitude
                }
                section = 0
                pendingDigit = nil
                lastSmallMagnitude = nil
                lastSectionMagnitude = magnitude
                usedBig = true
                index += 1
            } else if unit == point, let whole = pendingDigit, index + 1 < units.count, digit(units[index + 1]) != nil {
                // 一点五万
                var fraction: Decimal = 0
                var scale: Decimal = 1
                var cursor = index + 1
                while cursor < units.count, let next = digit(units[cursor]) {
                    scale /= 10
                    fraction += Decimal(next) * scale
                    cursor += 1
                }
                guard cursor < units.count, let magnitude = sectionMagnitude(units[cursor]) ?? smallMagnitude(units[cursor]),
                      magnitude >= 100 else { break }
                let value = (section + Decimal(whole) + fraction) * magnitude + total
                return Parsed(value: value, end: cursor + 1, hasMagnitudeFromHundred: true)
            } else {
                break
            }
        }
        guard consumedAny else { return nil }
        if let digit = pendingDigit {
            // Abbreviated tail: 两万五 = 25000, 三千二 = 3200, 一百五 = 150.
            if zeroSeen {
                section += Decimal(digit)
            } else if let small = lastSmallMagnitude, small >= 100, digit != 0 {
                section += Decimal(digit) * small / 10
            } else if lastSmallMagnitude == nil, let big = lastSectionMagnitude, section == 0, digit != 0 {
                section += Decimal(digit) * big / 10
            } else {
                section += Decimal(digit)
            }
        }
        return Parsed(value: total + section, end: index, hasMagnitudeFromHundred: usedBig)
    }
}
