import Foundation
import Testing

@testable import Classifiers

/// The multinomial objective reads and updates a feature's weights for all
/// classes as one SIMD vector; it must give the loss and gradient of the
/// class-at-a-time loop bit for bit, for every number of classes.
@Suite struct MultinomialLanesTests {
    @Test(arguments: [2, 3, 4, 5, 8, 14, 16])
    func lanes_giveTheClassLoopsSumsBitForBit(classes: Int) {
        var generator = Xorshift64Star(seed: UInt64(classes))
        let features = 40, rowsCount = 60
        var rows = SparseRows(featureCount: features)
        var labels: [Int] = []
        for _ in 0..<rowsCount {
            let width = Int(generator.next() % 9) + 1
            // Columns in any order, the last feature included, repeats allowed.
            rows.append(columns: (0..<width).map { _ in Int32(generator.next() % UInt64(features)) },
                        scale: 0.5 + Double(generator.next() % 100) / 100)
            labels.append(Int(generator.next() % UInt64(classes)))
        }
        let parameters = features * classes + classes
        let theta = (0..<parameters).map { _ in Double(Int64(generator.next() % 2001) - 1000) / 337 }
        func run(_ body: (MultinomialRows, UnsafeBufferPointer<Double>, UnsafeMutableBufferPointer<Double>,
                          UnsafeMutableBufferPointer<Double>) -> Double) -> (loss: Double, gradient: [Double]) {
            var gradient = [Double](repeating: 0, count: parameters)
            let z = UnsafeMutableBufferPointer<Double>.allocate(capacity: classes)
            defer { z.deallocate() }
            let loss = rows.withBuffers { columns, starts, scales in
                labels.withUnsafeBufferPointer { labels in
                    theta.withUnsafeBufferPointer { theta in
                        gradient.withUnsafeMutableBufferPointer { gradient in
                            body(MultinomialRows(columns: columns, rowStarts: starts, scales: scales, labels: labels,
                                                 features: features, classes: classes), theta, gradient, z)
                        }
                    }
                }
            }
            return (loss, gradient)
        }
        let lanes = run { $0.accumulate(theta: $1, gradient: $2, z: $3) }
        let byClass = run { $0.accumulateByClass(theta: $1, gradient: $2, z: $3) }
        #expect(lanes.loss.bitPattern == byClass.loss.bitPattern)
        #expect(lanes.gradient.map(\.bitPattern) == byClass.gradient.map(\.bitPattern))
        #expect(lanes.gradient.contains { $0 != 0 })
    }
}
