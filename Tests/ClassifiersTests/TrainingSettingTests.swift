import Foundation
import Testing

@testable import Classifiers

/// The training settings added after models were already bundled: each is
/// range-checked, read from its YAML/JSON key, and encoded only when set, so
/// a model trained without it keeps its recorded config (and version).
struct TrainingSettingTests {
    struct Setting: CustomTestStringConvertible, Sendable {
        let key: String
        let value: @Sendable (TrainingConfig) -> Double?
        let setValue: @Sendable (inout TrainingConfig, Double) -> Void
        let absent: Double?
        let valid: Double
        let outOfRange: [Double]

        var testDescription: String { key }
    }

    static let settings: [Setting] = [
        Setting(key: "hardship_threshold_floor",
                value: { $0.hardshipThresholdFloor }, setValue: { $0.hardshipThresholdFloor = $1 },
                absent: nil, valid: 0.12, outOfRange: [0, 0.9]),
        Setting(key: "hardship_threshold_tolerance",
                value: { $0.hardshipThresholdTolerance }, setValue: { $0.hardshipThresholdTolerance = $1 },
                absent: 0, valid: 0.01, outOfRange: [-0.01, 0.2]),
        Setting(key: "hardship_recall_floor",
                value: { $0.hardshipRecallFloor }, setValue: { $0.hardshipRecallFloor = $1 },
                absent: nil, valid: 0.93, outOfRange: [0, 1.2]),
        Setting(key: "need_negative_weight_penalty",
                value: { $0.needNegativeWeightPenalty }, setValue: { $0.needNegativeWeightPenalty = $1 },
                absent: nil, valid: 4, outOfRange: [0.5, 2000]),
    ]

    @Test(arguments: settings) func setting_isRangeCheckedReadAndEncodedOnlyWhenSet(_ setting: Setting) throws {
        var config = TrainingConfig()
        for value in setting.outOfRange {
            setting.setValue(&config, value)
            let error = #expect(throws: TrainingConfigError.self, "\(setting.key) = \(value)") { try config.validate() }
            if case .invalid(let key, _) = error { #expect(key == setting.key) } else { Issue.record("\(String(describing: error))") }
        }
        setting.setValue(&config, setting.valid)
        try config.validate()

        let decoded = try JSONDecoder().decode(TrainingConfig.self, from: Data(#"{"\#(setting.key)": \#(setting.valid)}"#.utf8))
        #expect(setting.value(decoded) == setting.valid)
        let absent = try JSONDecoder().decode(TrainingConfig.self, from: Data("{}".utf8))
        #expect(setting.value(absent) == setting.absent)
        #expect(setting.value(TrainingConfig()) == setting.absent)

        let unset = String(decoding: try JSONEncoder().encode(TrainingConfig()), as: UTF8.self)
        #expect(!unset.contains(setting.key))
        let set = String(decoding: try JSONEncoder().encode(config), as: UTF8.self)
        #expect(set.contains(setting.key))
    }
}
