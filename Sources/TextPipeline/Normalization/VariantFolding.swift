/// Folds character variants that ICU's Traditional → Simplified conversion
/// leaves apart but that mean the same thing in banking.
///
/// ICU maps 帳 to 帐 (the Simplified character for curtains and tents), while
/// Simplified banking text writes 账 (账户, 账单, 转账); customers also type
/// 帐户 by habit. So 帐 becomes 账 — except in the few words where it really
/// is a tent or curtain (帐篷, 蚊帐, 营帐, 纱帐, 床帐, 帐幕, 帐子). This makes
/// 「帳戶被凍結了」 and 「账户被冻结了」 normalise to the same text (issue 3).
enum VariantFolding {
    /// 帐 U+5E10.
    static let candidate: UInt16 = 0x5E10
    /// 账 U+8D26.
    static let replacement: UInt16 = 0x8D26
    /// 篷 幕 子 after 帐 keep it.
    static let keepBefore: Set<UInt16> = [0x7BF7, 0x5E55, 0x5B50]
    /// 蚊 营 纱 床 before 帐 keep it.
    static let keepAfter: Set<UInt16> = [0x868A, 0x8425, 0x7EB1, 0x5E8A]

    static func apply(to units: inout [UInt16]) {
        for index in units.indices where units[index] == candidate {
            if index + 1 < units.count, keepBefore.contains(units[index + 1]) { continue }
            if index > 0, keepAfter.contains(units[index - 1]) { continue }
            units[index] = replacement
        }
    }
}
