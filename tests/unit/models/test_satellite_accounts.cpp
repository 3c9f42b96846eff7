// Unit tests for models/satellite_accounts: accounting identities on random tables, a hand
// example on the three-region economy (exact rational arithmetic), an independent NumPy
// reference (tests/unit/models/satellite_reference.py, output pasted below), validation
// messages, and bitwise determinism across thread counts.
#include <catch2/catch.hpp>

#include <oneapi/tbb/global_control.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <string>
#include <type_traits>
#include <vector>

#include "core/errors.hpp"
#include "models/mrio_accounting.hpp"
#include "models/mrio_table.hpp"
#include "models/satellite_accounts.hpp"
#include "tests/unit/models/test_economies.hpp"

using Catch::Matchers::Contains;
using Catch::Matchers::WithinAbs;
using Eigen::MatrixXd;
using Eigen::VectorXd;
namespace m = integra::models;

namespace {

// ---- independent reference ------------------------------------------------------------
// Output of `/usr/bin/python3 tests/unit/models/satellite_reference.py` (numpy.linalg.inv,
// textbook formulas), for random_case(5, 6, 2, 2024) below. Regenerate only if the
// generator or the case changes.
// numpy 1.24.2; global CBA 3033.6881782245359 = global PBA 3033.6881782245359
const double ref_multipliers[2][30] = {
    {0.9399393125011478, 0.4977494342428816, 0.09131863975424001, 0.208984181933322, 0.16723481636542958, 0.661190281585907, 0.6909087829771124, 0.5492646915335062, 0.5671747274229202, 0.44331883613097284, 0.3060381623789905, 0.3502410541862531, 0.1353504547663516, 0.8539245499409757, 0.4430239287523825, 0.1346827840356948, 0.5994245590555419, 0.17426859340088582, 0.28177045258057454, 0.38978306196577006, 0.9772682608744975, 0.13562048997712972, 0.6194178091122109, 0.2323100232869129, 0.6886458717907288, 0.5103091021574736, 0.47460726765248384, 0.33431234733865967, 0.4666951765121814, 0.0576305593131159},
    {0.8045013677164274, 0.12605667313504834, 0.10987859685053297, 0.47843534022906964, 0.5113729630305995, 0.44626558108115777, 0.6913507382465408, 0.18121166041783449, 0.1669171823646522, 0.4219631796528284, 0.29984848544692716, 0.4732189806807907, 0.4250989750732526, 0.3351027926050612, 0.018665795827884222, 0.2068851367315585, 0.4933261646549943, 0.20038131191198172, 0.3050421570548181, 0.2894812372354362, 0.10144866757082831, 0.3020584986665727, 0.44167781157740565, 0.17077601318103508, 0.22265031439129707, 0.599444351676239, 0.08290292355819213, 0.2463046496219639, 0.6278759171826974, 0.3995057586812925}};
const double ref_pba[2][5] = {
    {329.4620644591296, 383.15029655398826, 286.01625151503595, 334.17097110477084, 326.46785028258904},
    {350.34803922187405, 311.06668480264466, 246.0688921245348, 215.74670775427487, 251.190420405694}};
const double ref_cba[2][5] = {
    {307.00311241384367, 369.5779367687281, 310.57130052438873, 314.89949610430284, 357.21558810425023},
    {282.4525558699697, 285.46701167651855, 242.9995303758022, 269.22199123095226, 294.27965515577955}};
const double ref_cba_per_person[2][5] = {
    {39.72872428485411, 3.7696840285942024, 4.541371889459036, 5.321265514973266, 7.815902788937684},
    {36.551680624604536, 2.9117550793647453, 3.553294314500753, 4.549393427213318, 6.438860044339456}};
const double ref_imports[2][5] = {
    {255.17372808124568, 301.67874075801853, 270.6973458300995, 226.37420455127344, 277.4981919375645},
    {207.534248043657, 232.1045878719909, 191.41257867905554, 209.23268184988027, 231.57332825762677}};
const double ref_exports[2][5] = {
    {277.63268012653157, 315.25110054327877, 246.1422968207467, 245.64567955174127, 246.75045411590327},
    {275.42973139556125, 257.704260998117, 194.48194042778812, 155.75739837320288, 188.48409350754116}};
const double ref_by_origin_0[5][5] = {
    {51.82938433259798, 80.08838934689727, 56.263404563901645, 51.20607641796444, 90.07480979776817},
    {74.07950256294734, 67.89919601070952, 77.21008233040006, 93.33598843941458, 70.62552721051684},
    {80.21383510339697, 76.1532210391125, 39.873954694289175, 38.50333082229522, 51.271909855942035},
    {43.00173228943, 69.65511071328808, 67.46289147568572, 88.52529155302952, 65.52594507333748},
    {57.87865812547135, 75.78201965872066, 69.7609674601121, 43.32880887159914, 79.71739616668583}};
const double ref_by_product_0[30][5] = {
    {1.1426185245424307, 24.379294009539734, 15.818937136950785, 15.409055681523208, 23.344766442385435},
    {4.093916307829379, 22.599247874483748, 9.825447277762052, 14.3924390101002, 23.307191695181217},
    {1.8450010453554657, 3.6140119831352435, 1.374827882873646, 3.5615729305872965, 4.3940180315012265},
    {8.008457024613593, 7.554241741647762, 8.968420346870845, 6.579585570538871, 8.517451631045542},
    {5.879145238513587, 1.0593232013341285, 7.466490003964188, 6.303907775438883, 1.9505227957372973},
    {18.489045756273246, 20.818303943747562, 12.187757762816183, 4.304174226511215, 30.712047664191047},
    {11.268090107534363, 2.123232694082706, 7.100803433467715, 21.781512461910726, 18.019547675669664},
    {10.549020163461835, 21.340458244224674, 11.106916094849907, 20.407286727842035, 20.064721173293872},
    {13.171288754452824, 10.233177624206796, 22.243742100352417, 5.680841583582589, 1.11113653555996},
    {22.038702214986728, 5.675162713514888, 10.368261430900166, 19.74960275770511, 13.847137173125873},
    {6.04314466985383, 9.117785710582792, 12.139921939263871, 13.111779906480873, 5.274645418167724},
    {10.160077184684829, 13.062938543937808, 15.431227453162554, 13.473929110819217, 9.782330280958282},
    {6.0979106045077, 2.623549854137287, 4.258756923719932, 3.9989717524538593, 4.602572410092248},
    {28.78960402810103, 24.944812053895642, 9.822983611682645, 6.639517102026434, 6.393185904227023},
    {12.544670165436505, 15.857298575291756, 0.7968409167836971, 9.9101814616985, 7.573243790408239},
    {2.480269317693822, 5.8574792293410525, 5.5602971109860215, 5.903965948650044, 2.554227278315997},
    {27.411043736480647, 27.832786209790005, 0.9642210910364404, 4.012787663927986, 23.968936362768773},
    {6.526102038303275, 1.0908394382292106, 6.997963361408212, 8.342919198286019, 6.4461491609008315},
    {11.191376629340846, 2.297699023416866, 1.7556287799536179, 12.405673062214674, 1.3198487591512151},
    {12.882421364637151, 17.811662644078606, 5.445175509739516, 8.050878935443677, 15.700060606644508},
    {2.6031760122010645, 12.303323019419249, 48.38323648756773, 13.003674025416686, 6.581805062853437},
    {4.002099956366017, 3.6437186790662723, 1.5830284955130693, 6.535188377670311, 3.816663636631544},
    {1.8842269812755437, 26.07447730801723, 4.08675075037237, 26.979940427946747, 28.4012710680999},
    {9.949520112976876, 6.529697005089912, 5.580544786873396, 5.169535117096422, 9.160131031366358},
    {27.44920176176793, 14.873959209467143, 31.258422041140467, 3.5198268725012984, 9.53091549537548},
    {5.770663003618678, 4.324396006284681, 6.280123282381423, 6.419990555690928, 13.759750475634595},
    {4.715583624390186, 20.287534839705334, 17.564872205991445, 10.826878895452595, 17.87964275105814},
    {6.911155778739362, 15.485374002099173, 10.210605497648402, 14.715383566624633, 5.825214517077111},
    {11.043495724935095, 20.21086672444517, 4.289412586174268, 5.414875097897457, 20.3639624440851},
    {1.4842248497267654, 2.395944368940668, 0.944493267632291, 0.2956412236648181, 1.1158475930402214}};
const double ref_m_down[1][30] = {
    {1.1599180550000407, 1.102633336872624, 1.088042451423723, 1.070599474677929, 1.133500311153126, 1.1195173750720697, 1.1580724199595975, 1.0989908752965996, 1.150561169765548, 1.1036623601088285, 1.1046811852112257, 1.1004018927152885, 1.0889028370796214, 1.1265752981059318, 1.1295804227503479, 1.0687815865177244, 1.1147599580219472, 1.082610945012083, 1.1311227819868936, 1.1017063159448153, 1.1658469930851658, 1.1098130101886023, 1.103795645122234, 1.108846960894755, 1.1268959439144288, 1.1814925016350415, 1.1077835344949152, 1.077540173314894, 1.1043989257998295, 1.1390209840887469}};
const double ref_m_full[1][30] = {
    {1.3100934656047274, 1.2129853351498157, 1.1884054829080757, 1.1311502496218906, 1.245505567818419, 1.2318450316884757, 1.319942417999199, 1.1956200725963697, 1.3083556536697882, 1.1815225053875515, 1.2156950732633094, 1.203758125972639, 1.1849984505203168, 1.3026177949703892, 1.2469250505970093, 1.1713298948791193, 1.2247590177107757, 1.1727049501573479, 1.2874646177434772, 1.1951398048148594, 1.333995338700193, 1.203980562379039, 1.2147462104769575, 1.2014617412609594, 1.233961221176771, 1.3538050532986778, 1.207374922020267, 1.1643842538578761, 1.2209067011137495, 1.2685384642153612}};
const double ref_downstream[2][30] = {
    {0.05957865717762836, 0.04146700465744402, 0.032383678870812796, 0.024333738936401863, 0.05082646814991738, 0.046302132330002806, 0.06712359534569201, 0.038043054820267486, 0.05678564934229835, 0.04324055162380503, 0.04359386944744207, 0.039607395095839534, 0.03063971628797529, 0.05861251254605769, 0.05077736334544408, 0.024554143242871022, 0.04284112724374718, 0.03289241105554828, 0.05442801877457072, 0.041868531836287234, 0.0630508935881372, 0.042566415795946895, 0.03732156059613488, 0.04049052313794205, 0.04934999685713447, 0.07007752940709712, 0.038572893026818, 0.03244986824802889, 0.04155696938084094, 0.04722395755167967},
    {0.04428118862276075, 0.03172180384006039, 0.02728568516012198, 0.021582177982610674, 0.03940246575136748, 0.03528061617735666, 0.048920066332953455, 0.03251798784762299, 0.041488928722323785, 0.03167228262162919, 0.03259657764397722, 0.03144973053842089, 0.026610760203427227, 0.040503167427633706, 0.04086312085637054, 0.020113765981489604, 0.032307092663179146, 0.02561927996452474, 0.03962354605447033, 0.029153068135592503, 0.04711163377438582, 0.03620068181354399, 0.030530808288878844, 0.031213440855710924, 0.04116747280759504, 0.057830567640082715, 0.032330781958406205, 0.022782509022558486, 0.031237626974944668, 0.039484098170569276}};
// ---- end of independent reference -----------------------------------------------------

// A random balanced MRIO table with K stressors. A 64-bit LCG (the one satellite_reference.py
// reimplements), every matrix filled row by row in the order Z, Y, F, F_y, population.
struct random_case {
    m::mrio_table table;
    m::satellite accounts;
    VectorXd population;

    random_case(Eigen::Index n_regions, Eigen::Index n_sectors, Eigen::Index n_stressors, std::uint64_t seed)
        : state_(seed) {
        for (Eigen::Index r = 0; r < n_regions; ++r) table.regions.push_back("R" + std::to_string(r));
        for (Eigen::Index s = 0; s < n_sectors; ++s) table.sectors.push_back("s" + std::to_string(s));
        table.unit = "million USD";
        const Eigen::Index n = n_regions * n_sectors;
        table.intermediate = fill(n, n, 1.0);
        table.final_demand = fill(n, n_regions, 50.0);
        table.gross_output = table.intermediate.rowwise().sum() + table.final_demand.rowwise().sum();
        table.value_added = table.gross_output - table.intermediate.colwise().sum().transpose();
        for (Eigen::Index k = 0; k < n_stressors; ++k) {
            accounts.stressors.push_back("stressor" + std::to_string(k));
            accounts.units.push_back("kt");
        }
        accounts.production = fill(n_stressors, n, 100.0, -5.0);  // some removals (< 0)
        accounts.final_demand = fill(n_stressors, n_regions, 20.0);
        population = fill(1, n_regions, 99.0, 1.0).row(0).transpose();
    }

private:
    std::uint64_t state_;
    double uniform() {
        state_ = state_ * 6364136223846793005ULL + 1442695040888963407ULL;
        return static_cast<double>(state_ >> 11) * 0x1.0p-53;
    }
    MatrixXd fill(Eigen::Index rows, Eigen::Index cols, double scale, double offset = 0.0) {
        MatrixXd out(rows, cols);
        for (Eigen::Index i = 0; i < rows; ++i)
            for (Eigen::Index j = 0; j < cols; ++j) out(i, j) = offset + scale * uniform();
        return out;
    }
};

// |actual - expected| <= 1e-12 max(1, |expected|), element by element.
template <class Expected>
void check_reference(const MatrixXd& actual, const Expected& expected, const std::string& what) {
    const auto rows = static_cast<Eigen::Index>(std::extent_v<Expected, 0>);
    const auto cols = static_cast<Eigen::Index>(std::extent_v<Expected, 1>);
    REQUIRE(actual.rows() == rows);
    REQUIRE(actual.cols() == cols);
    for (Eigen::Index i = 0; i < rows; ++i)
        for (Eigen::Index j = 0; j < cols; ++j) {
            INFO(what << "(" << i << ", " << j << ")");
            const double ref = expected[i][j];
            CHECK_THAT(actual(i, j), WithinAbs(ref, 1e-12 * std::max(1.0, std::abs(ref))));
        }
}

bool bitwise_equal(const MatrixXd& a, const MatrixXd& b) {
    return a.rows() == b.rows() && a.cols() == b.cols() &&
           std::memcmp(a.data(), b.data(), sizeof(double) * static_cast<std::size_t>(a.size())) == 0;
}

// The three-region economy with one stressor: integer emissions, so that S = F x^-1 and the
// exact footprints below are rationals (kt CO2 per year).
m::satellite three_region_co2() {
    m::satellite s;
    s.stressors = {"CO2"};
    s.units = {"kt CO2"};
    s.production = (MatrixXd(1, 6) << 27, 35, 33, 41, 70, 56).finished();
    s.final_demand = (MatrixXd(1, 3) << 5, 8, 20).finished();
    return s;
}

std::string validation_report(const m::satellite& s, const m::mrio_table& t) {
    integra::issues out;
    m::validate(s, t, out);
    return out.report("satellite");
}

}  // namespace

TEST_CASE("global footprints equal global territorial totals, and trade balances close", "[models][satellite]") {
    const auto shape = GENERATE(std::pair<int, int>{1, 4}, std::pair<int, int>{3, 2}, std::pair<int, int>{5, 6},
                                std::pair<int, int>{4, 30});
    const random_case c(shape.first, shape.second, 3, 77 + static_cast<std::uint64_t>(shape.second));
    const m::mrio_table& t = c.table;
    INFO(t.n_regions() << " regions x " << t.n_sectors() << " sectors");
    const MatrixXd l = m::leontief_inverse(m::technical_coefficients(t));
    const MatrixXd s = m::stressor_intensities(c.accounts, t);
    const MatrixXd mult = m::stressor_multipliers(s, l);
    const MatrixXd pba = m::production_based_accounts(c.accounts, t);
    const MatrixXd cba = m::consumption_based_accounts(c.accounts, t, l);
    const double scale = c.accounts.production.cwiseAbs().sum();

    // Global CBA = global PBA, stressor by stressor.
    for (Eigen::Index k = 0; k < 3; ++k) CHECK_THAT(cba.row(k).sum() - pba.row(k).sum(), WithinAbs(0.0, 1e-10 * scale));
    // S L y = S x = F 1: multipliers applied to total final demand give every producer's stressor.
    const VectorXd y = t.final_demand.rowwise().sum();
    CHECK_THAT((mult * y - c.accounts.production.rowwise().sum()).norm(), WithinAbs(0.0, 1e-10 * scale));

    // The origin-destination split: rows add up to PBA, columns to CBA.
    const auto by_origin = m::footprint_by_origin(c.accounts, t, l);
    REQUIRE(by_origin.size() == 3);
    for (Eigen::Index k = 0; k < 3; ++k) {
        const MatrixXd& d = by_origin[static_cast<std::size_t>(k)];
        CHECK_THAT((d.rowwise().sum().transpose() - pba.row(k)).norm(), WithinAbs(0.0, 1e-10 * scale));
        CHECK_THAT((d.colwise().sum() - cba.row(k)).norm(), WithinAbs(0.0, 1e-10 * scale));
    }
    // Embodied in imports minus embodied in exports = CBA - PBA, region by region.
    const m::embodied_trade e = m::embodied_in_trade(c.accounts, t, l);
    CHECK_THAT((e.imports - e.exports - (cba - pba)).cwiseAbs().maxCoeff(), WithinAbs(0.0, 1e-10 * scale));
    CHECK(e.balance == e.imports - e.exports);
    if (t.n_regions() == 1) CHECK((e.imports.array() == 0).all());

    // The split by final product adds up to CBA less the direct final-demand stressors.
    const auto by_product = m::footprint_by_final_product(c.accounts, t, l);
    for (Eigen::Index k = 0; k < 3; ++k)
        CHECK_THAT((by_product[static_cast<std::size_t>(k)].colwise().sum() - cba.row(k) + c.accounts.final_demand.row(k))
                       .norm(),
                   WithinAbs(0.0, 1e-10 * scale));

    // Downstream: the output case of M_down (S = 1') is G 1 - 1, and for x > 0, G = x^-1 L x^
    // (Miller & Blair 2009, sec. 12.1), so M_down = S (x^ L' x^-1 - I) from L alone.
    const MatrixXd g = m::ghosh_inverse(m::allocation_coefficients(t));
    const auto n = static_cast<Eigen::Index>(t.size());
    const double nd = static_cast<double>(n);
    const VectorXd m_down = m::downstream_output_multipliers(g);
    CHECK_THAT((m_down - g.rowwise().sum()).norm(), WithinAbs(0.0, 1e-12 * nd));
    const MatrixXd ones = MatrixXd::Ones(1, n);
    CHECK_THAT((m::downstream_stressor_multipliers(ones, g).row(0).transpose() - (m_down - VectorXd::Ones(n))).norm(),
               WithinAbs(0.0, 1e-10 * nd));
    const VectorXd& x = t.gross_output;
    const MatrixXd g_transposed_from_l = x.asDiagonal() * l.transpose() * x.cwiseInverse().asDiagonal();
    CHECK_THAT((m::downstream_stressor_multipliers(s, g) - s * (g_transposed_from_l - MatrixXd::Identity(n, n))).norm(),
               WithinAbs(0.0, 1e-10 * scale));
    CHECK_THAT((m::full_scope_output_multipliers(l, g) - (m::output_multipliers(l) + m_down - VectorXd::Ones(n))).norm(),
               WithinAbs(0.0, 1e-12 * nd));
    CHECK_THAT((m::full_scope_stressor_multipliers(s, l, g) - mult - m::downstream_stressor_multipliers(s, g)).norm(),
               WithinAbs(0.0, 1e-12 * scale));
}

TEST_CASE("characterisation is linear and matches stressors by name and unit", "[models][satellite]") {
    const random_case c(3, 4, 3, 5);
    const MatrixXd l = m::leontief_inverse(m::technical_coefficients(c.table));
    m::characterisation gwp;
    gwp.impacts = {"GWP100", "acidification"};
    gwp.impact_units = {"kt CO2-eq", "kt SO2-eq"};
    gwp.stressors = {"stressor2", "stressor0"};  // another order, and stressor1 left out
    gwp.stressor_units = {"kt", "kt"};
    gwp.factors = (MatrixXd(2, 2) << 28, 1, 0.5, 0).finished();
    const m::satellite impacts = m::characterise(c.accounts, gwp);
    CHECK(impacts.stressors == gwp.impacts);
    CHECK(impacts.units == gwp.impact_units);
    REQUIRE(impacts.production.rows() == 2);
    CHECK((impacts.production.row(0) - (28 * c.accounts.production.row(2) + c.accounts.production.row(0))).norm() <
          1e-12);
    CHECK((impacts.final_demand.row(1) - 0.5 * c.accounts.final_demand.row(2)).norm() < 1e-12);
    // Footprints of impacts = characterised footprints.
    const MatrixXd cba = m::consumption_based_accounts(c.accounts, c.table, l);
    const MatrixXd cba_impacts = m::consumption_based_accounts(impacts, c.table, l);
    CHECK_THAT((cba_impacts.row(0) - (28 * cba.row(2) + cba.row(0))).norm(), WithinAbs(0.0, 1e-10));

    gwp.stressor_units = {"t", "kt"};
    gwp.stressors[1] = "CH4";
    REQUIRE_THROWS_AS(m::characterise(c.accounts, gwp), integra::inconsistent_input);
    REQUIRE_THROWS_WITH(m::characterise(c.accounts, gwp),
                        Contains("characterise: 2 problem(s)") &&
                            Contains("characterisation.stressors[CH4]: not in the satellite (stressors stressor0, "
                                     "stressor1, stressor2)") &&
                            Contains("characterisation.stressor_units[stressor2]: factors are per 't' but the "
                                     "satellite's unit is 'kt'"));
    gwp.impact_units = {"kt CO2-eq", ""};
    gwp.factors(0, 0) = std::numeric_limits<double>::quiet_NaN();
    REQUIRE_THROWS_WITH(m::characterise(c.accounts, gwp),
                        Contains("characterisation.impact_units[acidification]: empty; expected the unit of impact "
                                 "'acidification'") &&
                            Contains("characterisation.factors[GWP100, stressor2]: is NaN"));
}

TEST_CASE("hand example: CO2 footprints of the three-region economy", "[models][satellite]") {
    const m::mrio_table t = integra::testing::three_region_economy();
    const m::satellite co2 = three_region_co2();
    const MatrixXd l = m::leontief_inverse(m::technical_coefficients(t));

    // Territorial: ARG 27 + 35 + 5 = 67, BRA 33 + 41 + 8 = 82, CHN 70 + 56 + 20 = 146.
    const MatrixXd pba = m::production_based_accounts(co2, t);
    CHECK(pba == (MatrixXd(1, 3) << 67, 82, 146).finished());
    // S = F / x = [27/270, 35/350, 33/334, 41/412, 70/348, 56/562] = [0.1, 0.1, ...].
    const MatrixXd s = m::stressor_intensities(co2, t);
    CHECK(s(0, 0) == 0.1);
    CHECK(s(0, 1) == 0.1);

    // Exact values from Fractions (Gauss-Jordan on I - A over the rationals, then the
    // definitions; the script is tests/unit/models/satellite_reference.py's formulas on
    // this table). With d = 128486332179151:
    //   M = 1'S L = [126384599878229/(5 d), 29854197751498/d, 22283378150403/d,
    //                28061783187631/d, 37935137660124/d, 27153127587259/d]
    //   CBA = [8928061589631407/d, 11547217760951504/d, 17428188642266634/d], sum 295.
    const MatrixXd mult = m::stressor_multipliers(s, l);
    const double d = 128486332179151.0;
    const double exact_m[6] = {126384599878229.0 / (5 * d), 29854197751498.0 / d, 22283378150403.0 / d,
                               28061783187631.0 / d,        37935137660124.0 / d, 27153127587259.0 / d};
    for (Eigen::Index j = 0; j < 6; ++j) CHECK_THAT(mult(0, j), WithinAbs(exact_m[j], 1e-14));
    // The multipliers exceed the direct intensities: indirect emissions upstream.
    CHECK((mult.array() > s.array()).all());

    const MatrixXd cba = m::consumption_based_accounts(co2, t, l);
    CHECK_THAT(cba(0, 0), WithinAbs(69.48646940269752, 1e-12));
    CHECK_THAT(cba(0, 1), WithinAbs(89.87117590726298, 1e-12));
    CHECK_THAT(cba(0, 2), WithinAbs(135.6423546900395, 1e-12));
    CHECK_THAT(cba.sum(), WithinAbs(295.0, 1e-12));

    // Origin (where emitted) x destination (whose final demand), exact to double rounding:
    const MatrixXd exact_d = (MatrixXd(3, 3) << 40.59254331878812, 14.248016657434968, 12.159440023776911,
                              13.180949924820561, 54.917340638509266, 13.901709436670174,
                              15.712976159088848, 20.70581861131875, 109.5812052295924).finished();
    const auto by_origin = m::footprint_by_origin(co2, t, l);
    CHECK_THAT((by_origin[0] - exact_d).cwiseAbs().maxCoeff(), WithinAbs(0.0, 1e-12));

    // ARG imports 13.1809... + 15.7129... = 28.8939..., exports 14.2480... + 12.1594... =
    // 26.4074...: a net importer of 2.4864... = CBA - PBA = 69.4864... - 67.
    const m::embodied_trade e = m::embodied_in_trade(by_origin);
    CHECK_THAT(e.imports(0, 0), WithinAbs(13.180949924820561 + 15.712976159088848, 1e-12));
    CHECK_THAT(e.exports(0, 0), WithinAbs(14.248016657434968 + 12.159440023776911, 1e-12));
    CHECK_THAT(e.balance(0, 0), WithinAbs(69.48646940269752 - 67.0, 1e-12));
    CHECK(e.balance(0, 2) < 0);  // CHN: a net exporter of embodied CO2

    // Per person with populations 45, 214 and 1412 (millions): kt per million persons.
    const MatrixXd pp = m::per_person(cba, (VectorXd(3) << 45, 214, 1412).finished(), t.regions);
    CHECK_THAT(pp(0, 0), WithinAbs(69.48646940269752 / 45, 1e-13));
    CHECK_THAT(pp(0, 2), WithinAbs(135.6423546900395 / 1412, 1e-13));
}

TEST_CASE("satellite accounts agree with an independent NumPy computation", "[models][satellite]") {
    const random_case c(5, 6, 2, 2024);
    const m::mrio_table& t = c.table;
    const MatrixXd l = m::leontief_inverse(m::technical_coefficients(t));
    const MatrixXd g = m::ghosh_inverse(m::allocation_coefficients(t));
    const MatrixXd s = m::stressor_intensities(c.accounts, t);
    check_reference(m::stressor_multipliers(s, l), ref_multipliers, "M");
    check_reference(m::production_based_accounts(c.accounts, t), ref_pba, "PBA");
    const MatrixXd cba = m::consumption_based_accounts(c.accounts, t, l);
    check_reference(cba, ref_cba, "CBA");
    check_reference(m::per_person(cba, c.population, t.regions), ref_cba_per_person, "CBA per person");
    const m::embodied_trade e = m::embodied_in_trade(c.accounts, t, l);
    check_reference(e.imports, ref_imports, "imports");
    check_reference(e.exports, ref_exports, "exports");
    check_reference(m::footprint_by_origin(c.accounts, t, l)[0], ref_by_origin_0, "D[0]");
    check_reference(m::footprint_by_final_product(c.accounts, t, l)[0], ref_by_product_0, "P[0]");
    check_reference(m::downstream_output_multipliers(g).transpose(), ref_m_down, "m_down");
    check_reference(m::full_scope_output_multipliers(l, g).transpose(), ref_m_full, "m_full");
    check_reference(m::downstream_stressor_multipliers(s, g), ref_downstream, "M_down");
}

TEST_CASE("validate reports each problem with the stressor it belongs to", "[models][satellite]") {
    const m::mrio_table t = integra::testing::three_region_economy();
    m::satellite s = three_region_co2();
    s.stressors = {"CO2", "CH4"};
    s.units = {"kt CO2", "kt CH4"};
    s.production = MatrixXd::Constant(2, 6, 1.0);
    s.final_demand = MatrixXd::Constant(2, 3, 1.0);
    CHECK(validation_report(s, t) == "satellite: 0 problem(s)");

    SECTION("negative stressors (removals) are accepted") {
        s.production(1, 4) = -12.5;
        s.final_demand(0, 2) = -1.0;
        CHECK(validation_report(s, t) == "satellite: 0 problem(s)");
    }
    SECTION("a stressor without units") {
        s.units[1] = "";
        CHECK(validation_report(s, t) == "satellite: 1 problem(s)\n  satellite.units[CH4]: empty; expected the unit "
                                         "of stressor 'CH4', such as 'kt CO2'");
        s.units = {"kt CO2"};
        CHECK_THAT(validation_report(s, t), Contains("satellite.units: stressor 'CH4' has no unit (1 units for 2 "
                                                     "stressors); expected one per stressor"));
    }
    SECTION("NaN and infinite entries, named by stressor and cell") {
        s.production(1, 3) = std::numeric_limits<double>::quiet_NaN();
        s.final_demand(0, 2) = std::numeric_limits<double>::infinity();
        const std::string report = validation_report(s, t);
        CHECK_THAT(report, Contains("satellite: 2 problem(s)"));
        CHECK_THAT(report, Contains("satellite.production[CH4, BRA/manufacturing]: is NaN; expected a finite number "
                                    "(negative values, such as removals, are accepted)"));
        CHECK_THAT(report, Contains("satellite.final_demand[CO2, CHN]: is infinite"));
    }
    SECTION("mismatched sizes") {
        s.production = MatrixXd::Ones(2, 5);
        s.final_demand = MatrixXd::Ones(1, 3);
        const std::string report = validation_report(s, t);
        CHECK_THAT(report, Contains("satellite.production: has 5 columns; expected 6 (3 regions x 2 sectors) for "
                                    "every stressor (CO2, CH4)"));
        CHECK_THAT(report, Contains("satellite.final_demand: has 1 rows for 2 stressors (CO2, CH4); expected one row "
                                    "per stressor, or none at all (0 x 0)"));
    }
    SECTION("names") {
        s.stressors = {"CO2", "CO2"};
        CHECK_THAT(validation_report(s, t), Contains("satellite.stressors[1]: duplicate name 'CO2' (also at index 0)"));
    }
    SECTION("every account function refuses an invalid satellite with the whole report") {
        s.units[0] = "";
        s.production(0, 0) = std::numeric_limits<double>::quiet_NaN();
        const MatrixXd l = m::leontief_inverse(m::technical_coefficients(t));
        REQUIRE_THROWS_AS(m::consumption_based_accounts(s, t, l), integra::inconsistent_input);
        REQUIRE_THROWS_WITH(m::consumption_based_accounts(s, t, l),
                            Contains("consumption_based_accounts: 2 problem(s)") &&
                                Contains("satellite.units[CO2]") && Contains("satellite.production[CO2, ARG/agriculture]"));
        REQUIRE_THROWS_WITH(m::production_based_accounts(s, t), Contains("production_based_accounts: 2 problem(s)"));
        REQUIRE_THROWS_WITH(m::footprint_by_origin(s, t, l), Contains("footprint_by_origin: 2 problem(s)"));
    }
}

TEST_CASE("a satellite without final-demand stressors, and bad populations", "[models][satellite]") {
    const m::mrio_table t = integra::testing::three_region_economy();
    m::satellite s = three_region_co2();
    s.final_demand.resize(0, 0);
    const MatrixXd l = m::leontief_inverse(m::technical_coefficients(t));
    CHECK(m::production_based_accounts(s, t) == (MatrixXd(1, 3) << 62, 74, 126).finished());
    CHECK_THAT(m::consumption_based_accounts(s, t, l).sum(), WithinAbs(262.0, 1e-12));
    CHECK(m::embodied_in_trade(s, t, l).imports.rows() == 1);

    REQUIRE_THROWS_WITH(m::per_person(MatrixXd::Ones(1, 3), (VectorXd(3) << 1, 0, -2).finished(), t.regions),
                        Contains("per_person: 2 problem(s)") &&
                            Contains("population[BRA]: is 0; expected a positive finite number of persons") &&
                            Contains("population[CHN]: is -2"));
    REQUIRE_THROWS_WITH(m::per_person(MatrixXd::Ones(1, 3), VectorXd::Ones(2), t.regions),
                        Contains("population: has 2 entries; expected 3 (one per region)"));
    REQUIRE_THROWS_WITH(m::stressor_multipliers(MatrixXd::Ones(1, 6), MatrixXd::Identity(5, 5)),
                        "stressor_multipliers: leontief is 5 x 5; expected 6 x 6");
}

TEST_CASE("satellite results are bitwise identical for 1 and 2 threads", "[models][satellite][Parallel]") {
    const random_case c(4, 50, 3, 99);  // n = 200: several 64-column blocks
    const MatrixXd l = m::leontief_inverse(m::technical_coefficients(c.table));
    const MatrixXd g = m::ghosh_inverse(m::allocation_coefficients(c.table));
    const MatrixXd s = m::stressor_intensities(c.accounts, c.table);
    auto run = [&](int threads) {
        const tbb::global_control limit(tbb::global_control::max_allowed_parallelism, static_cast<std::size_t>(threads));
        std::vector<MatrixXd> out{m::stressor_multipliers(s, l), m::consumption_based_accounts(c.accounts, c.table, l),
                                  m::downstream_stressor_multipliers(s, g),
                                  m::full_scope_output_multipliers(l, g)};
        for (const MatrixXd& d : m::footprint_by_origin(c.accounts, c.table, l)) out.push_back(d);
        return out;
    };
    const auto one = run(1);
    const auto two = run(2);
    REQUIRE(one.size() == two.size());
    for (std::size_t i = 0; i < one.size(); ++i) CHECK(bitwise_equal(one[i], two[i]));
}
