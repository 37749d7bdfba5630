import Mining

/// A `ByteSource` over bytes in memory, for tests: it hands them out at most
/// `chunkSize` at a time (to cut markup at awkward places) and can fail with
/// a given error once `failAfter` bytes are read (a corrupt gzip stream).
final class InMemoryByteSource: ByteSource {
    let name: String
    private let bytes: [UInt8]
    private let chunkSize: Int
    private let failure: (after: Int, error: ArchiveError)?
    private var offset = 0

    init(_ bytes: [UInt8], name: String = "test.xml", chunkSize: Int = 65_536,
         failAfter failure: (after: Int, error: ArchiveError)? = nil) {
        self.bytes = bytes
        self.name = name
        self.chunkSize = max(1, chunkSize)
        self.failure = failure
    }

    convenience init(_ text: String, name: String = "test.xml", chunkSize: Int = 65_536) {
        self.init(Array(text.utf8), name: name, chunkSize: chunkSize)
    }

    var fileBytesRead: Int64 { Int64(offset) }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws(ArchiveError) -> Int {
        if let failure, offset >= failure.after { throw failure.error }
        var count = min(buffer.count, chunkSize, bytes.count - offset)
        if let failure { count = min(count, failure.after - offset) }
        guard count > 0 else { return 0 }
        bytes.withUnsafeBytes { source in
            buffer.copyMemory(from: UnsafeRawBufferPointer(rebasing: source[offset..<offset + count]))
        }
        offset += count
        return count
    }
}
