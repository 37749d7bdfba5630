/// The validity checks that decide whether a digit string is personal data.
extension PIIMasker {
    static func isDigit(_ unit: UInt16) -> Bool { unit >= 0x30 && unit <= 0x39 }
    static func isASCIILetter(_ unit: UInt16) -> Bool { (unit >= 0x61 && unit <= 0x7A) || (unit >= 0x41 && unit <= 0x5A) }
    static func isASCIILetterOrDigit(_ unit: UInt16) -> Bool { isDigit(unit) || isASCIILetter(unit) }

    static func isEmailLocal(_ unit: UInt16) -> Bool {
        isASCIILetterOrDigit(unit) || unit == 0x2E || unit == 0x5F || unit == 0x25 || unit == 0x2B || unit == 0x2D
    }

    static func isEmailDomain(_ unit: UInt16) -> Bool {
        isASCIILetterOrDigit(unit) || unit == 0x2E || unit == 0x2D
    }

    /// Luhn (mod 10) check over the whole number, check digit last.
    static func passesLuhn(_ digits: [UInt8]) -> Bool {
        var sum = 0
        for (offset, digit) in digits.reversed().enumerated() {
            var value = Int(digit)
            if offset % 2 == 1 {
                value *= 2
                if value > 9 { value -= 9 }
            }
            sum += value
        }
        return sum % 10 == 0
    }

    /// Mainland mobile numbers: 11 digits starting 13–19, optionally after 86 or 0086.
    static func isMobileNumber(_ digits: [UInt8]) -> Bool {
        var body = digits[...]
        if digits.count == 13, digits[0] == 8, digits[1] == 6 { body = digits[2...] }
        else if digits.count == 15, digits[0] == 0, digits[1] == 0, digits[2] == 8, digits[3] == 6 { body = digits[4...] }
        guard body.count == 11 else { return false }
        let first = body[body.startIndex]
        let second = body[body.startIndex + 1]
        return first == 1 && second >= 3
    }

    /// GB 11643-1999: region code, birth date YYYYMMDD, sequence, ISO 7064 MOD 11-2 check digit.
    static func isValidResidentID(_ digits: [UInt8], endsWithX: Bool) -> Bool {
        guard digits.count == (endsWithX ? 17 : 18) else { return false }
        guard (1...9).contains(digits[0]) else { return false }
        let year = Int(digits[6]) * 1000 + Int(digits[7]) * 100 + Int(digits[8]) * 10 + Int(digits[9])
        let month = Int(digits[10]) * 10 + Int(digits[11])
        let day = Int(digits[12]) * 10 + Int(digits[13])
        guard (1900...2099).contains(year), isValidDate(year: year, month: month, day: day) else { return false }
        let weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
        var sum = 0
        for index in 0..<17 { sum += Int(digits[index]) * weights[index] }
        let expected = (12 - sum % 11) % 11 // 10 means X
        if endsWithX { return expected == 10 }
        return expected == Int(digits[17])
    }

    /// 15-digit IDs (issued before 1999): region code and birth date YYMMDD in the 1900s.
    static func isValidOldResidentID(_ digits: [UInt8]) -> Bool {
        guard digits.count == 15, (1...8).contains(digits[0]) else { return false }
        let year = 1900 + Int(digits[6]) * 10 + Int(digits[7])
        let month = Int(digits[8]) * 10 + Int(digits[9])
        let day = Int(digits[10]) * 10 + Int(digits[11])
        return isValidDate(year: year, month: month, day: day)
    }

    static func isValidDate(year: Int, month: Int, day: Int) -> Bool {
        guard (1...12).contains(month), day >= 1 else { return false }
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
        let lengths = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        return day <= lengths[month - 1]
    }
}
