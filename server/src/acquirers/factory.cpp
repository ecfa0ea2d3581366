// The connectors this build knows. Each is built only when the server's configuration has its
// table (`[acquirers.<name>]`); the sandbox is built in and always present.

#include "acquirers/cloudpayments.hpp"
#include "acquirers/connector_config.hpp"
#include "acquirers/stripe.hpp"
#include "acquirers/tbank.hpp"
#include "acquirers/yookassa.hpp"

namespace vitrina::acquirers {

const std::map<std::string, ConnectorFactory, std::less<>>& connector_factories() {
  static const std::map<std::string, ConnectorFactory, std::less<>> factories{
      {std::string(kStripeName), make_stripe},
      {std::string(kCloudPaymentsName), make_cloudpayments},
      {std::string(kTBankName), &TBank::from_config},
      {std::string(kYooKassaName), &YooKassa::from_config},
  };
  return factories;
}

}  // namespace vitrina::acquirers
