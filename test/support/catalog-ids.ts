// Real product and plan ids used by the tests, looked up by name so a typo fails loudly.
import { findProductByPartNumber, plans } from "../../shared/domain/catalog.js";

function sku(partNumber: string): string {
  const product = findProductByPartNumber(partNumber);
  if (!product) throw new Error(`no product ${partNumber} in the catalog`);
  return product.skuId;
}

export const skus = {
  businessStandard: sku("O365_BUSINESS_PREMIUM"),
  businessPremium: sku("SPB"),
  businessBasic: sku("O365_BUSINESS_ESSENTIALS"),
  e3: sku("ENTERPRISEPACK"),
  exchangePlan1: sku("EXCHANGESTANDARD"),
  exchangePlan2: sku("EXCHANGEENTERPRISE"),
  appsForBusiness: sku("O365_BUSINESS"),
};

export { plans };
