import ArgumentParser
import Foundation
import Offers
import Profiles

/// Where the domain configuration (`config/*.yaml`) is read from.
struct ConfigOptions: ParsableArguments {
    @Option(name: .customLong("config-dir"),
            help: ArgumentHelp("Folder with offers.yaml, policies.yaml and tags.yaml.",
                               discussion: "Default: $XINSHENG_CONFIG, else ./config, else the checkout's config/.", valueName: "dir"))
    var configDir: String?

    func directory() throws -> URL {
        guard let url = ProjectPaths.find("config", explicit: configDir, environment: "XINSHENG_CONFIG") else {
            throw CLIError.notFound(what: "the config folder", option: "--config-dir DIR or XINSHENG_CONFIG")
        }
        return url
    }

    func loadOfferRules() throws -> OfferRules {
        try OfferRules.load(directory: try directory())
    }
}
