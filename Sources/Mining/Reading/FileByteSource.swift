#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CZlib

/// An archive file read with plain `read(2)`; resumes with `lseek`.
public final class FileByteSource: ByteSource {
    public let name: String
    private let descriptor: Int32
    /// False for a descriptor the caller keeps (standard input).
    private let closesDescriptor: Bool
    public private(set) var fileBytesRead: Int64

    /// Opens `path` and positions it at `offset`.
    public init(path: String, name: String, offset: Int64 = 0) throws(ArchiveError) {
        self.name = name
        descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw .cannotOpen(file: name, reason: String(cString: strerror(errno))) }
        closesDescriptor = true
        fileBytesRead = offset
        if offset > 0, lseek(descriptor, off_t(offset), SEEK_SET) != off_t(offset) {
            close(descriptor)
            throw .cannotResume(file: name, reason: "cannot seek to byte \(offset)")
        }
    }

    /// Reads an open descriptor the caller keeps open (a pipe, a terminal):
    /// each read returns what is there, so typed lines arrive as typed.
    public init(descriptor: Int32, name: String) {
        self.name = name
        self.descriptor = descriptor
        closesDescriptor = false
        fileBytesRead = 0
    }

    deinit { if closesDescriptor { close(descriptor) } }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws(ArchiveError) -> Int {
        while true {
            let count = Glibc.read(descriptor, buffer.baseAddress, buffer.count)
            if count >= 0 {
                fileBytesRead += Int64(count)
                return count
            }
            if errno == EINTR { continue }
            throw .readFailed(file: name, reason: String(cString: strerror(errno)))
        }
    }
}

/// A gzip-compressed archive decompressed on the fly by zlib. Offsets are
/// in the decompressed stream; resuming decompresses up to the offset.
public final class GzipByteSource: ByteSource {
    public let name: String
    private let file: gzFile

    public init(path: String, name: String, offset: Int64 = 0) throws(ArchiveError) {
        self.name = name
        guard let file = gzopen(path, "rb") else {
            throw .cannotOpen(file: name, reason: String(cString: strerror(errno)))
        }
        self.file = file
        gzbuffer(file, 256 * 1024)
        if offset > 0, gzseek(file, off_t(offset), SEEK_SET) != off_t(offset) {
            gzclose(file)
            throw .cannotResume(file: name, reason: "cannot reach byte \(offset) of the decompressed stream")
        }
    }

    deinit { gzclose(file) }

    public var fileBytesRead: Int64 { Int64(gzoffset(file)) }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws(ArchiveError) -> Int {
        let count = gzread(file, buffer.baseAddress, UInt32(min(buffer.count, Int(Int32.max))))
        if count < 0 {
            var code: Int32 = 0
            let message = gzerror(file, &code).map { String(cString: $0) } ?? "error \(code)"
            throw .corruptGzip(file: name, reason: message)
        }
        return Int(count)
    }
}

/// Opens an archive file as bytes: gzip when it starts with gzip's magic
/// bytes (whatever its name), plain otherwise.
public enum ByteSources {
    public static func open(path: String, name: String? = nil, offset: Int64 = 0) throws(ArchiveError) -> any ByteSource {
        let shown = name ?? path
        if try isGzip(path: path, name: shown) { return try GzipByteSource(path: path, name: shown, offset: offset) }
        return try FileByteSource(path: path, name: shown, offset: offset)
    }

    static func isGzip(path: String, name: String) throws(ArchiveError) -> Bool {
        let descriptor = Glibc.open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw .cannotOpen(file: name, reason: String(cString: strerror(errno))) }
        defer { close(descriptor) }
        var magic: [UInt8] = [0, 0]
        let count = magic.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, 2) }
        return count == 2 && magic == [0x1F, 0x8B]
    }

    /// Size of the file on disk, for percent done.
    public static func fileSize(path: String) -> Int64 {
        var info = stat()
        return stat(path, &info) == 0 ? Int64(info.st_size) : 0
    }
}
