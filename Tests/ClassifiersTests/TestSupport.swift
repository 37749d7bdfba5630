import Foundation
@testable import Classifiers
import TextPipeline

let packageRoot = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

let shippedProcessor: TextProcessor = {
    let lexicon = try! LexiconLoader().load(directory: packageRoot.appendingPathComponent("lexicons"))
    return TextProcessor(lexicon: lexicon)
}()

let tinyLines: [CorpusLine] = try! CorpusReader.readAll(
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/tiny")).map(\.line)

let tinyConfig: TrainingConfig = {
    var config = TrainingConfig()
    config.devPercent = 30
    config.minFeatureCount = 1
    config.l2Grid = [1e-4]
    config.maxIterations = 300
    return config
}()

func trainTiny() throws -> Trainer.Result {
    try Trainer(processor: shippedProcessor, config: tinyConfig)
        .train(tinyLines.compactMap(TrainingExample.init), corpusFingerprint: "tiny", corpusFiles: 1)
}

/// The tiny model, trained once for the whole test run.
let tinyResult: Trainer.Result = try! trainTiny()

func temporaryDirectory() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("xinsheng-tests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}
