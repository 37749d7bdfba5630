import Testing

/// The suites that kill child processes at random points. They run one
/// after the other: together they saturate two cores, and a starved test
/// process then reads a child's progress too late to kill it mid-run.
@Suite(.serialized) struct KilledProcessTests {}
