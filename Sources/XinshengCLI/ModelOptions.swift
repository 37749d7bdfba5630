import Analysis
import ArgumentParser
import Classifiers
import Foundation
import TextPipeline

/// Where the trained model is.
struct ModelOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Model directory (meta.json, calibration.json, weights.bin).",
                                            discussion: "Default: $XINSHENG_MODEL, ./models/bundled, or the checkout's models/bundled/.",
                                            valueName: "dir"))
    var model: String?

    /// Loads the model, refusing one trained with other labels, lexicons or features.
    func loadModel(for processor: TextProcessor) throws -> CustomerVoiceModel {
        let directory = try ProjectPaths.modelDirectory(explicit: model)
        return try ModelArtifact.load(from: directory, lexiconFingerprint: processor.segmenter.lexicon.fingerprint)
    }

    /// The same model's `meta.json` alone (its training settings), without its weights.
    func loadMeta() throws -> ModelMeta {
        try ModelArtifact.loadMeta(from: ProjectPaths.modelDirectory(explicit: model))
    }

    func makeAnalyzer(_ pipeline: PipelineOptions) throws -> TurnAnalyzer {
        let processor = try pipeline.makeProcessor()
        return TurnAnalyzer(processor: processor, model: try loadModel(for: processor))
    }
}
