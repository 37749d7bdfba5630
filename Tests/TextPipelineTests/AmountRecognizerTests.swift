import Foundation
import Testing
@testable import TextPipeline

@Suite struct AmountRecognizerTests {
    let normalizer = TextNormalizer()
    let recognizer = AmountRecognizer()

    func amounts(_ text: String) -> [(String, Decimal, String)] {
        let normalized = normalizer.normalize(text)
        return recognizer.amounts(in: normalized.units).map {
            (normalized.text(of: $0.span), $0.amount.value, $0.amount.currency)
        }
    }

    @Test(arguments: [
        ("5w", Decimal(50_000)), ("5万", 50_000), ("10个w", 100_000), ("3k", 3_000), ("3千", 3_000),
        ("八千", 8_000), ("1.2w", 12_000), ("¥150", 150), ("￥150", 150), ("50000元", 50_000), ("两万五", 25_000),
        ("2万5", 25_000), ("三千二", 3_200), ("一百五", 150), ("一百零五块", 105), ("一万零五", 10_005),
        ("十万", 100_000), ("五百万", 5_000_000), ("1.5亿", 150_000_000), ("三块五", Decimal(string: "3.5")!),
        ("50,000元", 50_000), ("５０００元", 5_000), ("200美元", 200), ("一点五万", 15_000), ("五毛", Decimal(string: "0.5")!),
        ("3千块钱", 3_000), ("2.5k", 2_500),
    ])
    func writtenManyWays_becomesOneAmountWithItsValue(text: String, value: Decimal) {
        let found = amounts("借我" + text + "吧")
        #expect(found.count == 1, "\(text) → \(found)")
        #expect(found.first?.1 == value, "\(text)")
        #expect(found.first?.0 == normalizer.normalize(text).text, "the token covers the whole amount: \(text)")
    }

    @Test func currencies_areRecognised() {
        #expect(amounts("汇了200美元")[0].2 == "USD")
        #expect(amounts("换了5000港币")[0].2 == "HKD")
        #expect(amounts("还了3000块")[0].2 == "CNY")
    }

    @Test(arguments: ["万一哪天失业了", "千万别买", "十分感谢", "百万医疗险", "一九九八年", "2024年5月12日",
                      "验证码是482913", "三个月", "一下", "第一次", "二十号还款", "5g信号", "3kg", "订单123456789"])
    func numbersThatAreNotMoney_areNotAmounts(text: String) {
        #expect(amounts(text).isEmpty, "\(text) → \(amounts(text))")
    }

    @Test func canonicalForm_isValueAndCurrency() {
        #expect(Amount(value: 25_000).canonical == "25000 CNY")
    }
}
