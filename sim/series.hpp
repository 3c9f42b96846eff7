// An output series being recorded: a float64 array over named dimensions of a result_set,
// written cell by cell by index tuple, so no runner computes flat offsets by hand.
#pragma once

#include <string>
#include <vector>

#include "core/errors.hpp"
#include "sim/results.hpp"

namespace integra::sim {

class series {
public:
    /// Sized from the dimensions of `shape` (which must already hold them), filled with `fill`.
    series(const result_set& shape, std::string name, std::vector<std::string> dims, std::string units,
           std::string long_name, double fill = 0.0)
        : v_{std::move(name), std::move(dims), {}, std::move(units), std::move(long_name)}, enabled_(true) {
        std::size_t size = 1;
        extents_.reserve(v_.dims.size());
        for (const auto& d : v_.dims) extents_.push_back(shape.dimension(d).size());
        strides_.assign(extents_.size(), 1);
        for (std::size_t k = extents_.size(); k-- > 0;) {
            strides_[k] = size;
            size *= extents_[k];
        }
        v_.data.assign(size, fill);
    }

    /// A series nobody asked for (a sweep keeps a few): holds nothing, records nothing.
    void disable() {
        enabled_ = false;
        v_.data = {};
    }
    [[nodiscard]] bool enabled() const { return enabled_; }

    /// The cell at (i, j, ...), one index per dimension in order (a scratch cell when disabled).
    template <class... Index>
    double& at(Index... index) {
        if (!enabled_) return scratch_;
        if (sizeof...(index) != extents_.size())
            throw internal_error("series '" + v_.name + "': " + std::to_string(sizeof...(index)) + " indices for " +
                                 std::to_string(extents_.size()) + " dimensions");
        std::size_t offset = 0, k = 0;
        for (const std::size_t i : {static_cast<std::size_t>(index)...}) {
            if (i >= extents_[k]) throw internal_error("series '" + v_.name + "': index out of range on " + v_.dims[k]);
            offset += i * strides_[k++];
        }
        return v_.data[offset];
    }
    template <class... Index>
    [[nodiscard]] double value(Index... index) const {
        return const_cast<series*>(this)->at(index...);
    }

    [[nodiscard]] const std::string& name() const { return v_.name; }
    /// The finished variable; the series is empty afterwards.
    [[nodiscard]] variable release() { return std::move(v_); }

private:
    variable v_;
    std::vector<std::size_t> extents_, strides_;
    bool enabled_;
    double scratch_ = 0.0;
};

}  // namespace integra::sim
