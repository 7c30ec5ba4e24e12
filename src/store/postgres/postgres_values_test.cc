#include "store/postgres/postgres_values.h"

#include <gtest/gtest.h>

#include <cmath>
#include <string>

namespace gmg::postgres {
namespace {

std::string Bytes(std::initializer_list<int> values) {
  std::string out;
  for (int v : values) out.push_back(static_cast<char>(v));
  return out;
}

TEST(PostgresValuesTest, BinaryIntegersAndFloatsAreReadInNetworkOrderAtTheirWidthOnly) {
  EXPECT_EQ(std::get<int64_t>(BinaryValue(kInt2Oid, Bytes({0xff, 0xfe}))), -2);
  EXPECT_EQ(std::get<int64_t>(BinaryValue(kInt4Oid, Bytes({0, 1, 0, 0}))), 65536);
  EXPECT_EQ(std::get<int64_t>(BinaryValue(kOidOid, Bytes({0xff, 0xff, 0xff, 0xff}))), 4294967295);
  EXPECT_EQ(std::get<int64_t>(BinaryValue(kInt8Oid, Bytes({0x80, 0, 0, 0, 0, 0, 0, 0}))),
            INT64_MIN);
  EXPECT_EQ(std::get<int64_t>(BinaryValue(kBoolOid, Bytes({1}))), 1);
  EXPECT_EQ(std::get<int64_t>(BinaryValue(kBoolOid, Bytes({0}))), 0);
  EXPECT_EQ(std::get<double>(BinaryValue(kFloat4Oid, Bytes({0x3f, 0xc0, 0, 0}))), 1.5);
  EXPECT_EQ(std::get<double>(BinaryValue(kFloat8Oid, Bytes({0xc0, 0, 0, 0, 0, 0, 0, 0}))), -2.0);
  EXPECT_TRUE(
      std::isnan(std::get<double>(BinaryValue(kFloat8Oid, Bytes({0x7f, 0xf8, 0, 0, 0, 0, 0, 0})))));
  // A value of the wrong width is not read past its end: its bytes come back.
  EXPECT_EQ(std::get<std::string>(BinaryValue(kInt8Oid, Bytes({1, 2, 3}))), Bytes({1, 2, 3}));
  EXPECT_EQ(std::get<std::string>(BinaryValue(kInt4Oid, "")), "");
  EXPECT_EQ(std::get<std::string>(BinaryValue(kBoolOid, Bytes({1, 1}))), Bytes({1, 1}));
  // bytea and text types are their bytes, zeros included.
  EXPECT_EQ(std::get<std::string>(BinaryValue(kByteaOid, Bytes({0, 'a', 0}))), Bytes({0, 'a', 0}));
  EXPECT_EQ(std::get<std::string>(BinaryValue(kTextOid, "réfugiés")), "réfugiés");
}

TEST(PostgresValuesTest, BinaryReadableTypesAreThoseBinaryValueReads) {
  for (uint32_t t : {kBoolOid, kByteaOid, kInt8Oid, kInt2Oid, kInt4Oid, kTextOid, kOidOid,
                     kFloat4Oid, kFloat8Oid, kBpcharOid, kVarcharOid}) {
    EXPECT_TRUE(BinaryReadable(t)) << t;
  }
  EXPECT_FALSE(BinaryReadable(kNumericOid));  // its binary form is base-10000 digits
  EXPECT_FALSE(BinaryReadable(1082));         // date
  EXPECT_FALSE(BinaryReadable(0));
}

TEST(PostgresValuesTest, HexByteaDecodesAndAnythingElseIsRefused) {
  EXPECT_EQ(*DecodeHexBytea("\\x"), "");
  EXPECT_EQ(*DecodeHexBytea("\\x00fFa0"), Bytes({0, 0xff, 0xa0}));
  EXPECT_FALSE(DecodeHexBytea("\\x0").has_value());        // odd
  EXPECT_FALSE(DecodeHexBytea("\\x0g").has_value());       // not hex
  EXPECT_FALSE(DecodeHexBytea("\\000\\001").has_value());  // the escape format
  EXPECT_FALSE(DecodeHexBytea("").has_value());
  EXPECT_FALSE(DecodeHexBytea("\\").has_value());
}

TEST(PostgresValuesTest, IntegralNumericsOnlyWhenTheyAreIntegersThatFit) {
  EXPECT_EQ(IntegralNumeric("12"), 12);
  EXPECT_EQ(IntegralNumeric("-3.000"), -3);
  EXPECT_EQ(IntegralNumeric("9223372036854775807"), INT64_MAX);
  EXPECT_FALSE(IntegralNumeric("9223372036854775808").has_value());
  EXPECT_FALSE(IntegralNumeric("1.5").has_value());
  EXPECT_FALSE(IntegralNumeric("1e3").has_value());
  EXPECT_FALSE(IntegralNumeric("NaN").has_value());
  EXPECT_FALSE(IntegralNumeric("").has_value());
  EXPECT_EQ(KindOf(kNumericOid), ColumnKind::kNumeric);
  EXPECT_EQ(KindOf(kOidOid), ColumnKind::kInt);
  EXPECT_EQ(KindOf(kVarcharOid), ColumnKind::kText);
}

}  // namespace
}  // namespace gmg::postgres
