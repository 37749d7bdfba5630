import Testing
@testable import TextPipeline

@Suite struct PIIMaskerTests {
    let normalizer = TextNormalizer()
    let masker = PIIMasker()

    func mask(_ text: String) -> MaskedText { masker.mask(normalizer.normalize(text)) }

    // Valid values: check digits and Luhn sums computed independently of this code.
    @Test(arguments: [
        ("我的手机13912345678", "我的手机[手机号]"),
        ("手机 139 1052 7734 谢谢", "手机 [手机号] 谢谢"),
        ("电话158-1732-5906", "电话[手机号]"),
        ("+86 139 1052 7734", "[手机号]"),
        ("+8613910527734", "[手机号]"),
        ("0086 13910527734", "[手机号]"),
        ("打１８６１２３４５６７８找我", "打[手机号]找我"),
        ("身份证11010519491231002X", "身份证[身份证]"),
        ("身份证号11010519491231002x", "身份证号[身份证]"),
        ("440524198001010013是我的", "[身份证]是我的"),
        ("旧证号440524800101001", "旧证号[身份证]"),
        ("卡号6222021234567890128", "卡号[银行卡]"),
        ("卡号 6222 0212 3456 7890 128 扣款了", "卡号 [银行卡] 扣款了"),
        ("卡4111111111111111", "卡[银行卡]"),
        ("4111-1111-1111-1111", "[银行卡]"),
        ("邮箱 zhang.san+bank@example.com.cn 收不到", "邮箱 [邮箱] 收不到"),
        ("发到ABC_123@QQ.COM", "发到[邮箱]"),
    ])
    func personalData_isReplacedByItsTypedPlaceholder(input: String, masked: String) {
        #expect(mask(input).text.text == masked, "\(input)")
    }

    @Test(arguments: [
        "转了50000元", "还款5w", "2024-05-12到期", "20240512", "验证码482913", "订单号12345678901234",
        "11010519491231002Y", "110105194912310021", "6222021234567890123", "12345678901",
        "10086", "尾号6789", "年化3.85%", "金额1,234,567.89", "账号末四位1234", "4111111111111112",
        "订单abc13912345678", "你好@大家", "a@b",
    ])
    func valuesThatFailTheChecks_areKept(input: String) {
        let result = mask(input)
        #expect(result.entities.isEmpty, "\(input) → \(result.text.text)")
        #expect(result.text.text == normalizer.normalize(input).text)
    }

    @Test func phoneThenCard_areTwoValues() {
        let result = mask("13910527734 6222021234567890128")
        #expect(result.entities.map(\.kind) == [.mobilePhone, .bankCard])
        #expect(result.text.text == "[手机号] [银行卡]")
    }

    @Test func placeholders_keepTheOriginalSpan() {
        let original = "我手机１３９ １０５２ ７７３４，帐户冻了"
        let result = mask(original)
        let entity = try! #require(result.entities.first)
        #expect(entity.kind == .mobilePhone)
        #expect(result.text.sourceText(of: entity.maskedSpan) == "１３９ １０５２ ７７３４")
        #expect(result.text.text(of: entity.maskedSpan) == "[手机号]")
        // Text after the placeholder still maps to its own original characters.
        let after = TextSpan(start: entity.maskedSpan.end + 1, end: entity.maskedSpan.end + 3)
        #expect(result.text.sourceText(of: after) == "帐户")
    }

    @Test func maskedText_containsNoDigitsOfTheValue() {
        let result = mask("身份证11010519491231002X 手机13912345678 卡6222021234567890128")
        #expect(!result.text.text.contains("1391"))
        #expect(!result.text.text.contains("6222"))
        #expect(!result.text.text.contains("110105"))
    }

    @Test func checks_areCorrect() {
        #expect(PIIMasker.passesLuhn([4, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]))
        #expect(!PIIMasker.passesLuhn([4, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2]))
        #expect(PIIMasker.isValidDate(year: 2024, month: 2, day: 29))
        #expect(!PIIMasker.isValidDate(year: 2023, month: 2, day: 29))
    }

    @Test func kinds_canBeLimited() {
        let phonesOnly = PIIMasker(kinds: [.mobilePhone])
        let result = phonesOnly.mask(normalizer.normalize("13912345678 a@example.com"))
        #expect(result.text.text == "[手机号] a@example.com")
    }
}
