/// Limited-memory BFGS with a backtracking (Armijo) line search: the
/// optimiser behind every linear model here. Full-batch and free of
/// randomness, so the same data and settings always give the same weights.
struct LBFGS {
    var memory = 8
    var maxIterations = 200
    /// Stop when the relative decrease of the objective over one iteration is below this.
    var tolerance = 1e-6

    /// Minimises `objective` (which returns the value and writes the gradient) from `start`.
    func minimize(_ start: [Double], objective: (_ x: [Double], _ gradient: inout [Double]) -> Double) -> (x: [Double], value: Double, iterations: Int) {
        let n = start.count
        var x = start
        var gradient = [Double](repeating: 0, count: n)
        var value = objective(x, &gradient)
        var sHistory: [[Double]] = []
        var yHistory: [[Double]] = []
        var rhoHistory: [Double] = []
        var direction = [Double](repeating: 0, count: n)
        var newX = [Double](repeating: 0, count: n)
        var newGradient = [Double](repeating: 0, count: n)
        var iteration = 0

        while iteration < maxIterations {
            iteration += 1
            // Two-loop recursion: direction = -H·g.
            Self.assign(&direction, from: gradient) { -$0 }
            var alphas = [Double](repeating: 0, count: sHistory.count)
            for k in stride(from: sHistory.count - 1, through: 0, by: -1) {
                let alpha = rhoHistory[k] * dot(sHistory[k], direction)
                alphas[k] = alpha
                axpy(-alpha, yHistory[k], &direction)
            }
            if let lastS = sHistory.last, let lastY = yHistory.last {
                let scale = dot(lastS, lastY) / max(dot(lastY, lastY), 1e-300)
                Self.update(&direction) { $0 * scale }
            } else {
                let norm = dot(gradient, gradient).squareRoot()
                if norm == 0 { break }
                Self.update(&direction) { $0 / norm }
            }
            for k in 0..<sHistory.count {
                let beta = rhoHistory[k] * dot(yHistory[k], direction)
                axpy(alphas[k] - beta, sHistory[k], &direction)
            }

            var slope = dot(gradient, direction)
            if slope >= 0 {
                // Not a descent direction (numerical trouble): restart from steepest descent.
                sHistory.removeAll(); yHistory.removeAll(); rhoHistory.removeAll()
                let norm = dot(gradient, gradient).squareRoot()
                if norm == 0 { break }
                Self.assign(&direction, from: gradient) { -$0 / norm }
                slope = -norm
            }

            var step = 1.0
            var newValue = 0.0
            var accepted = false
            for _ in 0..<40 {
                Self.combine(&newX, x, direction) { x, d in x + step * d }
                newValue = objective(newX, &newGradient)
                if newValue.isFinite && newValue <= value + 1e-4 * step * slope {
                    accepted = true
                    break
                }
                step *= 0.5
            }
            if !accepted { break }

            var s = [Double](repeating: 0, count: n)
            var y = [Double](repeating: 0, count: n)
            Self.combine(&s, newX, x) { new, old in new - old }
            Self.combine(&y, newGradient, gradient) { new, old in new - old }
            let sy = dot(s, y)
            if sy > 1e-12 {
                if sHistory.count == memory {
                    sHistory.removeFirst(); yHistory.removeFirst(); rhoHistory.removeFirst()
                }
                sHistory.append(s)
                yHistory.append(y)
                rhoHistory.append(1 / sy)
            }
            let decrease = value - newValue
            swap(&x, &newX)
            swap(&gradient, &newGradient)
            value = newValue
            if decrease <= tolerance * max(abs(value), 1e-12) { break }
        }
        return (x, value, iteration)
    }

    /// `target[i] = f(a[i])` over whole vectors, through buffer pointers
    /// (the optimiser's vectors have millions of entries).
    @inline(__always)
    private static func assign(_ target: inout [Double], from a: [Double], _ f: (Double) -> Double) {
        target.withUnsafeMutableBufferPointer { target in
            a.withUnsafeBufferPointer { a in
                for i in 0..<target.count { target[i] = f(a[i]) }
            }
        }
    }

    /// `target[i] = f(target[i])`.
    @inline(__always)
    private static func update(_ target: inout [Double], _ f: (Double) -> Double) {
        target.withUnsafeMutableBufferPointer { target in
            for i in 0..<target.count { target[i] = f(target[i]) }
        }
    }

    /// `target[i] = f(a[i], b[i])`.
    @inline(__always)
    private static func combine(_ target: inout [Double], _ a: [Double], _ b: [Double], _ f: (Double, Double) -> Double) {
        target.withUnsafeMutableBufferPointer { target in
            a.withUnsafeBufferPointer { a in
                b.withUnsafeBufferPointer { b in
                    for i in 0..<target.count { target[i] = f(a[i], b[i]) }
                }
            }
        }
    }

    @inline(__always)
    private func dot(_ a: [Double], _ b: [Double]) -> Double {
        var sum = 0.0
        a.withUnsafeBufferPointer { a in
            b.withUnsafeBufferPointer { b in
                for i in 0..<a.count { sum += a[i] * b[i] }
            }
        }
        return sum
    }

    @inline(__always)
    private func axpy(_ alpha: Double, _ x: [Double], _ y: inout [Double]) {
        x.withUnsafeBufferPointer { x in
            y.withUnsafeMutableBufferPointer { y in
                for i in 0..<x.count { y[i] += alpha * x[i] }
            }
        }
    }
}
