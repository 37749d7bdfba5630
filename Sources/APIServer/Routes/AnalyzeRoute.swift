import Analysis
import Hummingbird
import TextPipeline

struct AnalyzeBody: Decodable {
    let text: String
}

/// `POST /v1/analyze`: one text → masked text, sentiment, emotions, intent
/// and needs with calibrated confidences and evidence. Nothing is stored.
struct AnalyzeRoute {
    let analyzer: TurnAnalyzer
    let maxBodyBytes: Int

    func add(to router: Router<XinshengRequestContext>) {
        router.post("/v1/analyze") { request, context in
            _ = try context.requireTenant()
            let body = try await JSONBody.decode(AnalyzeBody.self, from: request, limit: maxBodyBytes)
            do {
                return try JSONBody.response(try analyzer.analyze(body.text))
            } catch let error as TextInputError {
                throw APIError.text(error)
            }
        }
    }
}
