import Foundation
import Offers
import Profiles

/// `tags.yaml` and the offer rules (`offers.yaml`, `policies.yaml`) of a
/// config folder, read together: whatever fails, every problem of every file
/// is kept. `check-config` and `serve` read the configuration through it, so
/// the check and the service's start-up validation are the same.
struct DomainConfiguration {
    var policy: TagPolicy?
    var rules: OfferRules?
    /// One message per file with problems, each listing them all.
    var failures: [String] = []
    var problems = 0

    init(directory: URL) {
        do { policy = try TagPolicy.load(directory.appendingPathComponent("tags.yaml")) } catch { add(error.description, count: error.problems.count) }
        do { rules = try OfferRules.load(directory: directory) } catch { add(error.description, count: error.problems.count) }
    }

    mutating func add(_ failure: String, count: Int) {
        failures.append(failure)
        problems += count
    }
}
