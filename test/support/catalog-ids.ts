// Real products and plan ids used by the tests, looked up by name so a typo fails loudly.
import { findProductByPartNumber, type Product, plans } from "../../shared/domain/catalog.js";

export function productOf(partNumber: string): Product {
  const product = findProductByPartNumber(partNumber);
  if (!product) throw new Error(`no product ${partNumber} in the catalog`);
  return product;
}

const sku = (partNumber: string): string => productOf(partNumber).skuId;

export const skus = {
  businessStandard: sku("O365_BUSINESS_PREMIUM"),
  businessPremium: sku("SPB"),
  businessBasic: sku("O365_BUSINESS_ESSENTIALS"),
  e3: sku("ENTERPRISEPACK"),
  exchangePlan1: sku("EXCHANGESTANDARD"),
  exchangePlan2: sku("EXCHANGEENTERPRISE"),
  appsForBusiness: sku("O365_BUSINESS"),
  domesticCallingPlan: sku("MCOPSTN1"),
};

export { plans };
