import CLibXML2

/// A libxml2 error as the reader keeps it: its code and line only.
///
/// libxml2's own messages quote the document (element names, entity names,
/// the offending bytes), and a customer's text must never reach an error, so
/// `reason` is a fixed sentence chosen by the code.
struct XMLParserError: Equatable {
    let code: Int32
    let line: Int
    let isFatal: Bool

    /// Whether only a DTD can cause the error (entity declarations and their
    /// use): the reader then reports the DOCTYPE as refused. The prolog guard
    /// stops such documents first; this covers anything that slips past it.
    var needsDTD: Bool {
        switch xmlParserErrors(rawValue: UInt32(bitPattern: code)) {
        case XML_ERR_UNPARSED_ENTITY, XML_ERR_ENTITY_IS_EXTERNAL, XML_ERR_ENTITY_IS_PARAMETER,
             XML_ERR_EXT_ENTITY_STANDALONE, XML_ERR_ENTITY_CHAR_ERROR, XML_ERR_ENTITY_PE_INTERNAL,
             XML_ERR_ENTITY_LOOP, XML_ERR_ENTITY_BOUNDARY, XML_ERR_ENTITY_PROCESSING, XML_ERR_NOTATION_PROCESSING:
            true
        default:
            false
        }
    }

    /// A fixed English reason for the code, with the code for lookup.
    var reason: String {
        "\(Self.sentence(for: code)) (libxml2 error \(code))"
    }

    private static func sentence(for code: Int32) -> String {
        switch xmlParserErrors(rawValue: UInt32(bitPattern: code)) {
        case XML_ERR_DOCUMENT_EMPTY, XML_ERR_DOCUMENT_START: "no root element"
        // libxml2 reports a document cut short with the same code as extra content.
        case XML_ERR_DOCUMENT_END, XML_ERR_EXTRA_CONTENT: "the document ends early, or goes on after its root element"
        case XML_ERR_INVALID_CHAR: "a byte sequence that is not proper UTF-8, or a character XML does not allow"
        case XML_I18N_CONV_FAILED: "bytes that are not valid in the declared encoding"
        case XML_ERR_UNKNOWN_ENCODING, XML_ERR_UNSUPPORTED_ENCODING, XML_I18N_NO_HANDLER, XML_I18N_NO_NAME:
            "the declared encoding is not supported"
        case XML_ERR_INVALID_CHARREF, XML_ERR_INVALID_DEC_CHARREF, XML_ERR_INVALID_HEX_CHARREF:
            "a character reference to a character XML does not allow"
        case XML_ERR_ENTITYREF_SEMICOL_MISSING, XML_ERR_ENTITYREF_NO_NAME: "a malformed entity or character reference"
        case XML_ERR_UNDECLARED_ENTITY, XML_WAR_UNDECLARED_ENTITY: "a reference to an undeclared entity"
        case XML_ERR_TAG_NAME_MISMATCH: "an end tag that does not match its start tag"
        case XML_ERR_TAG_NOT_FINISHED, XML_ERR_NOT_WELL_BALANCED: "an element that is not closed"
        case XML_ERR_LTSLASH_REQUIRED: "an end tag is missing"
        case XML_ERR_GT_REQUIRED: "a tag that does not end with '>'"
        case XML_ERR_NAME_REQUIRED: "a name is missing where one is required"
        case XML_ERR_SPACE_REQUIRED: "whitespace is missing where it is required"
        case XML_ERR_LT_IN_ATTRIBUTE: "'<' in an attribute value"
        case XML_ERR_ATTRIBUTE_NOT_STARTED, XML_ERR_ATTRIBUTE_NOT_FINISHED, XML_ERR_ATTRIBUTE_WITHOUT_VALUE,
             XML_ERR_STRING_NOT_STARTED, XML_ERR_STRING_NOT_CLOSED:
            "a malformed attribute"
        case XML_ERR_ATTRIBUTE_REDEFINED, XML_NS_ERR_ATTRIBUTE_REDEFINED: "an attribute given twice in one element"
        case XML_ERR_COMMENT_NOT_FINISHED, XML_ERR_HYPHEN_IN_COMMENT: "a malformed comment"
        case XML_ERR_PI_NOT_STARTED, XML_ERR_PI_NOT_FINISHED: "a malformed processing instruction"
        case XML_ERR_CDATA_NOT_FINISHED: "a CDATA section that is not closed"
        case XML_ERR_MISPLACED_CDATA_END: "']]>' in text"
        case XML_ERR_XMLDECL_NOT_STARTED, XML_ERR_XMLDECL_NOT_FINISHED, XML_ERR_VERSION_MISSING,
             XML_ERR_RESERVED_XML_NAME:
            "a malformed or misplaced XML declaration"
        case XML_NS_ERR_UNDEFINED_NAMESPACE: "a namespace prefix that is not declared"
        case XML_NS_ERR_QNAME, XML_NS_ERR_XML_NAMESPACE, XML_NS_ERR_EMPTY: "a malformed namespace name or declaration"
        // Also how libxml2 refuses a text node over its 10,000,000-byte limit.
        case XML_ERR_NO_MEMORY: "a text over libxml2's size limit (10,000,000 bytes), or out of memory"
        case XML_ERR_INTERNAL_ERROR: "libxml2 stopped on an internal limit or error"
        default: "the document is not well-formed"
        }
    }
}
