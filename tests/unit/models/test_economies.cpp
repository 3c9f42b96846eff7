#include "tests/unit/models/test_economies.hpp"

namespace integra::testing {

models::mrio_table three_region_economy() {
    models::mrio_table t;
    t.regions = {"ARG", "BRA", "CHN"};
    t.sectors = {"agriculture", "manufacturing"};
    t.unit = "million USD";
    t.intermediate.resize(6, 6);
    // Rows: seller (region/sector); columns: buyer. Domestic blocks on the diagonal dominate.
    //                 ARG/agr ARG/man BRA/agr BRA/man CHN/agr CHN/man
    t.intermediate << 40,     60,     10,     15,     5,      10,      // ARG/agriculture
                      30,     80,     12,     20,     8,      25,      // ARG/manufacturing
                      15,     10,     50,     70,     10,     12,      // BRA/agriculture
                      20,     30,     25,     90,     14,     18,      // BRA/manufacturing
                      6,      8,      9,      11,     60,     80,      // CHN/agriculture
                      12,     25,     16,     30,     35,     120;     // CHN/manufacturing
    t.final_demand.resize(6, 3);
    //                 ARG  BRA  CHN
    t.final_demand << 100, 20,  10,
                      120, 30,  25,
                      15,  140, 12,
                      25,  160, 30,
                      10,  14,  150,
                      28,  36,  260;
    t.gross_output.resize(6);
    t.gross_output << 270, 350, 334, 412, 348, 562;  // = Z1 + F1
    t.value_added.resize(6);
    t.value_added << 147, 137, 212, 176, 216, 297;   // = x - Z'1
    return t;
}

}  // namespace integra::testing
