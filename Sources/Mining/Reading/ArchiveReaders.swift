/// Opens the right record reader for a file's format, positioned at a checkpoint.
public enum ArchiveReaders {
    /// - Parameter position: where to resume; line-based formats seek to its
    ///   byte offset, XML reads past its record count (a tree cannot be entered half-way).
    public static func open(_ input: MiningRun.Input, mapping: ArchiveMapping, at position: ArchivePosition,
                            maxRecordBytes: Int) throws(ArchiveError) -> any ArchiveRecordReader {
        switch input.format {
        case .jsonl:
            let source = try ByteSources.open(path: input.path, name: input.name, offset: position.offset)
            return try JSONLRecordReader(source: source, encoding: mapping.encoding, maxRecordBytes: maxRecordBytes, resumeAt: position)
        case .csv:
            let source = try ByteSources.open(path: input.path, name: input.name)
            let resume = position.offset > 0 ? try ByteSources.open(path: input.path, name: input.name, offset: position.offset) : nil
            return try CSVRecordReader(source: source, resumeSource: resume, resumeAt: position, encoding: mapping.encoding,
                                       delimiter: mapping.delimiter, maxRecordBytes: maxRecordBytes)
        case .xml:
            let source = try ByteSources.open(path: input.path, name: input.name)
            let reader = try XMLRecordReader(source: source, recordElement: mapping.recordElement, maxRecordBytes: maxRecordBytes)
            if position.records > 0 { try reader.skip(records: position.records) }
            return reader
        }
    }
}
