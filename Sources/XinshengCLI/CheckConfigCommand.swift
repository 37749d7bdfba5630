import ArgumentParser
import Foundation
import Offers
import Profiles

struct CheckConfigCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check-config",
        abstract: "Validate every file in config/ and list every problem, with file, line and key path.",
        discussion: """
        Runs the same validation the service runs before it opens its port:
        tags.yaml (need-tag TTLs), offers.yaml (the offer catalogue),
        policies.yaml (hardship, consent, quiet hours, caps, exclusions) and
        training.yaml. Unknown keys are errors. Exits 0 when everything is
        valid, 1 otherwise; run it in the pipeline that ships rule changes.

        Examples:
          xinsheng check-config
          xinsheng check-config --config-dir /etc/xinsheng
        """
    )

    @OptionGroup var config: ConfigOptions

    func run() throws {
        let directory = try config.directory()
        var configuration = DomainConfiguration(directory: directory)
        var summary: [String] = []
        if let policy = configuration.policy {
            summary.append("tags.yaml: TTLs for \(policy.ttlDays.count) needs")
        }
        if let rules = configuration.rules {
            let policies = rules.policies
            summary.append("offers.yaml: \(rules.catalogue.offers.count) offers, \(rules.catalogue.products.count) products")
            summary.append("policies.yaml: hardship blocks \(policies.hardship.blocksKinds.map(\.rawValue).sorted().joined(separator: ", "))"
                           + " and \(policies.hardship.blocksOffers.count) offers; quiet hours on \(policies.quietHours.count) channels;"
                           + " \(policies.frequencyCaps.count) caps; \(policies.mutualExclusions.count) exclusion groups")
        }
        let training = directory.appendingPathComponent("training.yaml")
        if FileManager.default.fileExists(atPath: training.path) {
            do {
                _ = try TrainingSettings.load(explicit: training.path)
                summary.append("training.yaml: valid")
            } catch {
                configuration.add("configuration errors in \(training.path) (配置文件有误):\n  \(error)", count: 1)
            }
        }

        if configuration.failures.isEmpty {
            print("\(directory.path): valid (配置有效)")
            for line in summary { print("  \(line)") }
        } else {
            FileHandle.standardError.write(Data((configuration.failures.joined(separator: "\n") + "\n").utf8))
            FileHandle.standardError.write(Data("\(directory.path): invalid, \(configuration.problems) problem(s) (配置无效)\n".utf8))
            throw ExitCode(1)
        }
    }
}
