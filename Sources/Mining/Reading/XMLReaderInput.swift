import CLibXML2
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The far end of libxml2's callbacks for one `XMLRecordReader`: it feeds the
/// parser bytes from the `ByteSource` (so gzip and progress come for free)
/// through the `XMLPrologGuard`, and keeps what went wrong as codes and lines,
/// never as libxml2's message text, which can quote the document.
final class XMLReaderInput {
    let source: any ByteSource
    private var prologGuard: XMLPrologGuard?
    /// Bytes handed to libxml2 so far: the decompressed offset reached.
    private(set) var bytesDelivered: Int64 = 0
    /// Why the input stopped early: the source failed, or the guard refused the document.
    private(set) var failure: ArchiveError?
    /// The first error libxml2 reported, a fatal one before any other.
    private(set) var parserError: XMLParserError?

    init(source: any ByteSource, guardsProlog: Bool) {
        self.source = source
        prologGuard = guardsProlog ? XMLPrologGuard() : nil
    }

    /// Fills `buffer` from the source.
    /// - Returns: the byte count, 0 at the end, or -1 to stop libxml2 (see `failure`).
    func read(into buffer: UnsafeMutableRawBufferPointer) -> Int32 {
        guard failure == nil else { return -1 }
        let count: Int
        do {
            count = max(0, min(try source.read(into: buffer), buffer.count))
        } catch {
            failure = error
            return -1
        }
        if let verdict = prologGuard?.scan(UnsafeRawBufferPointer(rebasing: buffer[..<count])) {
            switch verdict {
            case .watching: break
            case .rootReached: prologGuard = nil
            case .declaration(let line):
                failure = .xmlDoctypeForbidden(file: source.name, line: line)
                return -1
            case .unexpectedContent(let line):
                failure = .malformedXML(file: source.name, line: line,
                                        reason: "content before the root element that is neither markup nor whitespace")
                return -1
            }
        }
        bytesDelivered += Int64(count)
        return Int32(count)
    }

    /// Keeps the code and line of a libxml2 error; warnings are dropped.
    func record(_ error: xmlError) {
        let isFatal = error.level == XML_ERR_FATAL
        guard isFatal || error.level == XML_ERR_ERROR else { return }
        if parserError == nil || (isFatal && parserError?.isFatal == false) {
            parserError = XMLParserError(code: error.code, line: Int(error.line), isFatal: isFatal)
        }
    }

    /// libxml2's read callback; `context` is an unretained `XMLReaderInput`.
    static let readCallback: xmlInputReadCallback = { context, buffer, length in
        guard let context, let buffer, length > 0 else { return length == 0 ? 0 : -1 }
        let input = Unmanaged<XMLReaderInput>.fromOpaque(context).takeUnretainedValue()
        return input.read(into: UnsafeMutableRawBufferPointer(start: buffer, count: Int(length)))
    }

    /// libxml2's structured error callback; `context` is an unretained `XMLReaderInput`.
    static let errorCallback: xmlStructuredErrorFunc = { context, error in
        guard let context, let error else { return }
        Unmanaged<XMLReaderInput>.fromOpaque(context).takeUnretainedValue().record(error.pointee)
    }

    /// Runs `body` with libxml2's errors that have no parser context (such as
    /// a failed conversion from a declared encoding) sent to this input rather
    /// than printed on stderr, and its few plain-text messages (such as
    /// "encoder error", which always follows such a structured error) written
    /// to /dev/null. libxml2 keeps both handlers per thread, so they are set
    /// around each call into the parser and the previous ones put back.
    func capturingStrayErrors<T>(_ body: () throws(ArchiveError) -> T) throws(ArchiveError) -> T {
        let savedHandler = __xmlStructuredError().pointee
        let savedContext = __xmlStructuredErrorContext().pointee
        let savedGenericHandler = __xmlGenericError().pointee
        let savedGenericContext = __xmlGenericErrorContext().pointee
        xmlSetStructuredErrorFunc(Unmanaged.passUnretained(self).toOpaque(), Self.errorCallback)
        if let discardedMessages {
            // Swift cannot define a C variadic function, so the sink is libxml2's
            // own default handler, which prints to the FILE its context names.
            xmlSetGenericErrorFunc(UnsafeMutableRawPointer(discardedMessages), nil)
        }
        defer {
            xmlSetStructuredErrorFunc(savedContext, savedHandler)
            xmlSetGenericErrorFunc(savedGenericContext, savedGenericHandler)
        }
        return try body()
    }
}

/// Where libxml2's plain-text messages go while a reader runs (opened once, never closed).
nonisolated(unsafe) private let discardedMessages = fopen("/dev/null", "w")
