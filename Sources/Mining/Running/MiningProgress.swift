import Foundation

/// Where a run is, for the progress bar and the JSON progress lines.
public struct MiningProgress: Sendable, Encodable {
    /// Bytes of the input files on disk consumed, and their total.
    public var bytesRead: Int64
    public var bytesTotal: Int64
    public var rowsRead: Int
    public var rowsAnalysed: Int
    public var rowsRejected: Int
    public var rowsOtherShards: Int
    /// Rows read in this session and its seconds (for rows/s; a resumed run starts again).
    public var sessionRows: Int
    public var sessionSeconds: Double
    public var file: String
    public var finished: Bool

    public var fraction: Double { bytesTotal > 0 ? min(1, Double(bytesRead) / Double(bytesTotal)) : 0 }
    public var rowsPerSecond: Double { sessionSeconds > 0 ? Double(sessionRows) / sessionSeconds : 0 }

    /// Seconds left at the session's rate (nil until there is one).
    public var secondsLeft: Double? {
        guard sessionSeconds > 1, fraction > 0, fraction < 1, sessionRows > 0 else { return nil }
        let bytesPerSecond = Double(bytesRead) * (Double(sessionRows) / Double(max(1, rowsRead))) / sessionSeconds
        return bytesPerSecond > 0 ? Double(bytesTotal - bytesRead) / bytesPerSecond : nil
    }

    enum CodingKeys: String, CodingKey {
        case file, finished, fraction
        case bytesRead = "bytes_read"
        case bytesTotal = "bytes_total"
        case rowsRead = "rows_read"
        case rowsAnalysed = "rows_analysed"
        case rowsRejected = "rows_rejected"
        case rowsOtherShards = "rows_other_shards"
        case sessionRows = "session_rows"
        case sessionSeconds = "session_seconds"
        case rowsPerSecond = "rows_per_second"
        case secondsLeft = "seconds_left"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(file, forKey: .file)
        try container.encode(finished, forKey: .finished)
        try container.encode((fraction * 1000).rounded() / 1000, forKey: .fraction)
        try container.encode(bytesRead, forKey: .bytesRead)
        try container.encode(bytesTotal, forKey: .bytesTotal)
        try container.encode(rowsRead, forKey: .rowsRead)
        try container.encode(rowsAnalysed, forKey: .rowsAnalysed)
        try container.encode(rowsRejected, forKey: .rowsRejected)
        try container.encode(rowsOtherShards, forKey: .rowsOtherShards)
        try container.encode(sessionRows, forKey: .sessionRows)
        try container.encode((sessionSeconds * 10).rounded() / 10, forKey: .sessionSeconds)
        try container.encode(rowsPerSecond.rounded(), forKey: .rowsPerSecond)
        try container.encodeIfPresent(secondsLeft.map { $0.rounded() }, forKey: .secondsLeft)
    }
}
