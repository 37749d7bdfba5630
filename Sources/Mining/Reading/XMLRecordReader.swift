import CLibXML2

/// XML archives: one record per element, read as a stream with libxml2's
/// `xmlTextReader`, so memory stays flat whatever the size of the file.
///
/// Records are the elements named `recordElement` (matched on the local name,
/// or on the qualified name when it has a prefix), or every child element of
/// the root when it is nil. A record's fields are its attributes and, for each
/// child element, the child's text: the text of all its descendants joined,
/// CDATA included, trimmed of XML whitespace. Text directly inside the record
/// element is not a field. Names are local names; the first of repeated names
/// wins, and an attribute wins over a child element.
///
/// No DTD is ever processed (XXE, billion laughs): an `XMLPrologGuard` refuses
/// a document with a `<!DOCTYPE` before libxml2 has seen those bytes, and a
/// DOCTYPE or entity node that reaches the reader anyway is refused too. The
/// parser never substitutes entities, loads a DTD, defaults attributes,
/// processes XInclude, lifts its size limits or touches the network.
public final class XMLRecordReader: ArchiveRecordReader {
    private let input: XMLReaderInput
    private let reader: OpaquePointer  // xmlTextReaderPtr
    /// The record element's name, NUL-terminated, or nil for the root's children.
    private let recordName: [xmlChar]?
    private let matchesQualifiedName: Bool
    private let maxRecordBytes: Int
    private let maxDepth: Int
    private var number = 0
    private var failure: ArchiveError?
    private var finished = false
    /// The reader stands on a node that `xmlTextReaderNext` moved to and that is not looked at yet.
    private var standsOnUnreadNode = false
    /// Line of a text node read just before the current node (see `recordLine`).
    private var precedingTextLine: Int?
    private var names = XMLNameCache()
    private var text: [UInt8] = []

    /// Options for libxml2's parser. Left out on purpose: `NOENT` (substitute
    /// entities), `DTDLOAD`, `DTDATTR`, `DTDVALID`, `XINCLUDE`, `HUGE` (lift the
    /// limits on depth, name and text sizes) and `RECOVER`.
    static let parserOptions = Int32(bitPattern: [
        XML_PARSE_NONET,  // never fetch anything
        XML_PARSE_NOXINCNODE,  // no XInclude nodes
        XML_PARSE_NOCDATA,  // CDATA arrives as text
        XML_PARSE_COMPACT,  // small text nodes without an allocation of their own
        XML_PARSE_BIG_LINES,  // line numbers past 65535 on text nodes
    ].reduce(0) { $0 | $1.rawValue })

    /// Opens an XML archive for reading; reads only its first bytes.
    /// - Parameters:
    ///   - source: the (decompressed) bytes of the file.
    ///   - recordElement: the name of the record elements; nil (or empty) for every child of the root.
    ///   - maxRecordBytes: most bytes of attribute values and child text in one record;
    ///     a larger record is rejected as `tooLarge` (with the bytes counted until the
    ///     limit was passed) and the rest of it skipped unread.
    ///   - maxDepth: most levels of element nesting, the root being level 1.
    /// - Throws: `ArchiveError` when the source fails or libxml2 cannot start.
    public convenience init(source: any ByteSource, recordElement: String?, maxRecordBytes: Int = 1_048_576,
                            maxDepth: Int = 32) throws(ArchiveError) {
        try self.init(source: source, recordElement: recordElement, maxRecordBytes: maxRecordBytes,
                      maxDepth: maxDepth, guardsProlog: true)
    }

    /// - Parameter guardsProlog: false only in tests, to reach the checks behind the guard.
    init(source: any ByteSource, recordElement: String?, maxRecordBytes: Int, maxDepth: Int,
         guardsProlog: Bool) throws(ArchiveError) {
        _ = libxml2Initialized
        let input = XMLReaderInput(source: source, guardsProlog: guardsProlog)
        let context = Unmanaged.passUnretained(input).toOpaque()
        let created = try input.capturingStrayErrors { () throws(ArchiveError) -> OpaquePointer? in
            xmlReaderForIO(XMLReaderInput.readCallback, nil, context, nil, nil, Self.parserOptions)
        }
        guard let created else {
            throw input.failure ?? .cannotOpen(file: source.name, reason: "libxml2 could not start a reader")
        }
        if let failure = input.failure {
            xmlFreeTextReader(created)
            throw failure
        }
        xmlTextReaderSetStructuredErrorHandler(created, XMLReaderInput.errorCallback, context)
        self.input = input
        reader = created
        let name = recordElement.flatMap { $0.isEmpty ? nil : $0 }
        recordName = name.map { Array($0.utf8) + [0] }
        matchesQualifiedName = name?.contains(":") ?? false
        self.maxRecordBytes = maxRecordBytes
        self.maxDepth = maxDepth
    }

    deinit {
        xmlFreeTextReader(reader)
    }

    public var fileBytesRead: Int64 { input.source.fileBytesRead }

    public func next() throws(ArchiveError) -> ArchiveRecord? {
        if let failure { throw failure }
        if finished { return nil }
        do {
            return try input.capturingStrayErrors { () throws(ArchiveError) -> ArchiveRecord? in
                guard try moveToRecord() else {
                    finished = true
                    return nil
                }
                return try readRecord()
            }
        } catch {
            failure = error
            throw error
        }
    }

    /// Reads past the next `count` records without collecting their fields:
    /// how a resumed run skips what its checkpoint says is done.
    /// - Throws: `ArchiveError.cannotResume` when the file has fewer records.
    public func skip(records count: Int) throws(ArchiveError) {
        if let failure { throw failure }
        guard count > 0 else { return }
        do {
            let target = number + count
            try input.capturingStrayErrors { () throws(ArchiveError) in
                while number < target {
                    guard !finished, try moveToRecord() else {
                        finished = true
                        throw .cannotResume(file: input.source.name,
                                            reason: "the file has \(number) records, fewer than the \(target) to skip")
                    }
                    number += 1
                    try skipSubtree()
                }
            }
        } catch {
            failure = error
            throw error
        }
    }

    // MARK: - Walking the document

    /// Moves to the start of the next record element.
    /// - Returns: false at the end of the document.
    private func moveToRecord() throws(ArchiveError) -> Bool {
        precedingTextLine = nil
        while true {
            if standsOnUnreadNode {
                standsOnUnreadNode = false
            } else if try !read() {
                return false
            }
            switch xmlTextReaderNodeType(reader) {
            case XMLNodeType.element:
                let depth = xmlTextReaderDepth(reader)
                try checkDepth(depth)
                if isRecord(depth: depth) { return true }
                precedingTextLine = nil
            case XMLNodeType.text, XMLNodeType.whitespace, XMLNodeType.significantWhitespace:
                precedingTextLine = xmlGetLineNo(xmlTextReaderCurrentNode(reader))
            case XMLNodeType.documentType, XMLNodeType.entityReference, XMLNodeType.entity, XMLNodeType.notation:
                throw doctypeForbidden()
            default:
                precedingTextLine = nil
            }
        }
    }

    private func isRecord(depth: Int32) -> Bool {
        guard let recordName else { return depth == 1 }
        let name = matchesQualifiedName ? xmlTextReaderConstName(reader) : xmlTextReaderConstLocalName(reader)
        return xmlStrEqual(name, recordName) == 1
    }

    /// Reads the record the reader stands on, leaving it on the record's last node.
    private func readRecord() throws(ArchiveError) -> ArchiveRecord {
        number += 1
        let line = recordLine()
        let recordDepth = xmlTextReaderDepth(reader)
        var fields: [String: String] = [:]
        var size = 0

        if xmlTextReaderHasAttributes(reader) == 1 {
            while xmlTextReaderMoveToNextAttribute(reader) == 1 {
                guard xmlTextReaderIsNamespaceDecl(reader) != 1, let value = xmlTextReaderConstValue(reader) else { continue }
                let length = Int(xmlStrlen(value))
                size += length
                if size > maxRecordBytes { break }
                let name = names.name(xmlTextReaderConstLocalName(reader), in: reader)
                if fields[name] == nil {
                    fields[name] = String(decoding: UnsafeBufferPointer(start: value, count: length), as: UTF8.self)
                }
            }
            xmlTextReaderMoveToElement(reader)
            if size > maxRecordBytes {
                try skipSubtree()
                return record(number, line, .failure(.tooLarge(bytes: size, limit: maxRecordBytes)))
            }
        }
        if xmlTextReaderIsEmptyElement(reader) == 1 { return record(number, line, .success(fields)) }

        var field: String?  // the child element being read, nil when it repeats a name
        while try read() {
            let depth = xmlTextReaderDepth(reader)
            switch xmlTextReaderNodeType(reader) {
            case XMLNodeType.element:
                try checkDepth(depth)
                guard depth == recordDepth + 1 else { continue }
                let name = names.name(xmlTextReaderConstLocalName(reader), in: reader)
                field = fields[name] == nil ? name : nil
                text.removeAll(keepingCapacity: true)
                if xmlTextReaderIsEmptyElement(reader) == 1, let name = field {
                    fields[name] = ""
                    field = nil
                }
            case XMLNodeType.endElement:
                if depth == recordDepth { return record(number, line, .success(fields)) }
                if depth == recordDepth + 1, let name = field {
                    fields[name] = trimmedText()
                    field = nil
                }
            case XMLNodeType.text, XMLNodeType.cdata, XMLNodeType.whitespace, XMLNodeType.significantWhitespace:
                guard depth > recordDepth + 1, let value = xmlTextReaderConstValue(reader) else { continue }
                let length = Int(xmlStrlen(value))
                size += length
                if size > maxRecordBytes {
                    try skipRest(ofRecordAt: recordDepth)
                    return record(number, line, .failure(.tooLarge(bytes: size, limit: maxRecordBytes)))
                }
                if field != nil { text.append(contentsOf: UnsafeBufferPointer(start: value, count: length)) }
            case XMLNodeType.documentType, XMLNodeType.entityReference, XMLNodeType.entity, XMLNodeType.notation:
                throw doctypeForbidden()
            default:
                continue
            }
        }
        // libxml2 reports an unclosed element as an error before the end.
        throw .malformedXML(file: input.source.name, line: Int(xmlTextReaderGetParserLineNumber(reader)),
                            reason: "the document ends inside a record")
    }

    private func record(_ number: Int, _ line: Int, _ content: Result<[String: String], ArchiveRowError>) -> ArchiveRecord {
        ArchiveRecord(number: number, line: line, endOffset: input.bytesDelivered, content: content)
    }

    /// The collected child text without leading and trailing XML whitespace.
    private func trimmedText() -> String {
        func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x0A || byte == 0x09 || byte == 0x0D }
        guard let first = text.firstIndex(where: { !isSpace($0) }),
              let last = text.lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(decoding: text[first...last], as: UTF8.self)
    }

    /// From the start tag the reader stands on, skips the element and all it holds.
    private func skipSubtree() throws(ArchiveError) {
        let status = xmlTextReaderNext(reader)
        try check(status)
        standsOnUnreadNode = status == 1
    }

    /// From inside a record, skips to the record's end tag.
    private func skipRest(ofRecordAt recordDepth: Int32) throws(ArchiveError) {
        while !(xmlTextReaderNodeType(reader) == XMLNodeType.endElement && xmlTextReaderDepth(reader) == recordDepth) {
            let status = xmlTextReaderNext(reader)
            try check(status)
            if status == 0 { return }
        }
    }

    // MARK: - Checks

    /// Moves to the next node.
    /// - Returns: false at the end of the document.
    private func read() throws(ArchiveError) -> Bool {
        let status = xmlTextReaderRead(reader)
        if status == 1 { return true }
        try check(status)
        return false
    }

    /// Turns a status of libxml2's reader into the error behind it, if any.
    /// A failure of the source or the guard comes first: libxml2 only saw its effect.
    private func check(_ status: Int32) throws(ArchiveError) {
        guard status != 1 else { return }
        if let failure = input.failure { throw failure }
        guard status < 0 else { return }
        let error = input.parserError
        if error?.needsDTD == true { throw doctypeForbidden() }
        let line = error.map(\.line).flatMap { $0 > 0 ? $0 : nil } ?? Int(xmlTextReaderGetParserLineNumber(reader))
        throw .malformedXML(file: input.source.name, line: line,
                            reason: error?.reason ?? "the XML parser stopped without saying why")
    }

    private func checkDepth(_ depth: Int32) throws(ArchiveError) {
        if Int(depth) + 1 > maxDepth {
            throw .xmlTooDeep(file: input.source.name, line: nodeLine() ?? parserLine(), limit: maxDepth)
        }
    }

    private func doctypeForbidden() -> ArchiveError {
        .xmlDoctypeForbidden(file: input.source.name, line: parserLine())
    }

    // MARK: - Lines

    /// The line of the record's start tag. libxml2 keeps an element's line in
    /// 16 bits, so past line 65534 it is taken from the whitespace before the
    /// tag, whose line (with `XML_PARSE_BIG_LINES`) is where it ends; failing
    /// that, from the parser, which may have read a few lines further.
    private func recordLine() -> Int {
        if let line = nodeLine() { return line }
        if let line = precedingTextLine, line >= 65535 { return line }
        return parserLine()
    }

    /// The current element's line, when libxml2 could store it.
    private func nodeLine() -> Int? {
        guard let node = xmlTextReaderCurrentNode(reader) else { return nil }
        let line = Int(node.pointee.line)
        return line > 0 && line < 65535 ? line : nil
    }

    private func parserLine() -> Int {
        max(1, Int(xmlTextReaderGetParserLineNumber(reader)))
    }
}

/// `xmlInitParser` must run once before threads use libxml2; a global is initialised exactly once.
private let libxml2Initialized: Void = xmlInitParser()

/// libxml2's reader node types (`xmlReaderTypes`) as `xmlTextReaderNodeType` returns them.
private enum XMLNodeType {
    static let element = Int32(XML_READER_TYPE_ELEMENT.rawValue)
    static let text = Int32(XML_READER_TYPE_TEXT.rawValue)
    static let cdata = Int32(XML_READER_TYPE_CDATA.rawValue)
    static let entityReference = Int32(XML_READER_TYPE_ENTITY_REFERENCE.rawValue)
    static let entity = Int32(XML_READER_TYPE_ENTITY.rawValue)
    static let documentType = Int32(XML_READER_TYPE_DOCUMENT_TYPE.rawValue)
    static let notation = Int32(XML_READER_TYPE_NOTATION.rawValue)
    static let whitespace = Int32(XML_READER_TYPE_WHITESPACE.rawValue)
    static let significantWhitespace = Int32(XML_READER_TYPE_SIGNIFICANT_WHITESPACE.rawValue)
    static let endElement = Int32(XML_READER_TYPE_END_ELEMENT.rawValue)
}

/// Field names as Swift strings, made once per distinct name: libxml2 interns
/// names in the reader's dictionary, so the interned pointer is a stable key.
private struct XMLNameCache {
    private var strings: [UnsafePointer<xmlChar>: String] = [:]

    mutating func name(_ name: UnsafePointer<xmlChar>?, in reader: OpaquePointer) -> String {
        guard let name, let interned = xmlTextReaderConstString(reader, name) else { return "" }
        if let string = strings[interned] { return string }
        let string = String(cString: interned)
        if strings.count < 4096 { strings[interned] = string }  // bounded: names come from the file
        return string
    }
}
