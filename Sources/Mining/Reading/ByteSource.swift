/// A stream of bytes from an archive file: plain, or gzip decompressed on the fly.
public protocol ByteSource: AnyObject {
    /// Reads up to `buffer.count` bytes; returns 0 at the end of the stream.
    func read(into buffer: UnsafeMutableRawBufferPointer) throws(ArchiveError) -> Int
    /// Bytes of the file on disk consumed so far (compressed bytes for gzip), for progress.
    var fileBytesRead: Int64 { get }
    /// The file's name as shown in errors and the rejects file.
    var name: String { get }
}
