/// What the customer explicitly came to do (taxonomy §2). Raw values are contract ids.
public enum Intent: String, CaseIterable, Codable, Sendable {
    case accountInquiry = "account_inquiry"
    case cardLimit = "card_limit"
    case repayment
    case loanInquiry = "loan_inquiry"
    case wealthInquiry = "wealth_inquiry"
    case insuranceInquiry = "insurance_inquiry"
    case transferPayment = "transfer_payment"
    case feeDispute = "fee_dispute"
    case fraudSecurity = "fraud_security"
    case accountClosure = "account_closure"
    case appIssue = "app_issue"
    case complaint
    case cardApplication = "card_application"
    case other

    /// The label's Chinese name, as in the taxonomy table.
    public var chineseName: String {
        switch self {
        case .accountInquiry: "账户查询"
        case .cardLimit: "额度"
        case .repayment: "还款"
        case .loanInquiry: "贷款咨询"
        case .wealthInquiry: "理财咨询"
        case .insuranceInquiry: "保险咨询"
        case .transferPayment: "转账支付"
        case .feeDispute: "费用争议"
        case .fraudSecurity: "风险安全"
        case .accountClosure: "销户流失"
        case .appIssue: "APP问题"
        case .complaint: "服务投诉"
        case .cardApplication: "办卡开户"
        case .other: "其他"
        }
    }
}
