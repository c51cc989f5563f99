-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateEnum
CREATE TYPE "StoreCategory" AS ENUM ('supplement_shop', 'health_food', 'online_wellness', 'pharmacy', 'fitness', 'clinic', 'other');

-- CreateEnum
CREATE TYPE "StoreStatus" AS ENUM ('pending', 'active', 'suspended', 'deactivated');

-- CreateEnum
CREATE TYPE "ReferralStatus" AS ENUM ('clicked', 'signed_up', 'active');

-- CreateEnum
CREATE TYPE "ReferralChannel" AS ENUM ('link', 'qr', 'storefront', 'other');

-- CreateTable
CREATE TABLE "Session" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "isOnline" BOOLEAN NOT NULL DEFAULT false,
    "scope" TEXT,
    "expires" TIMESTAMP(3),
    "accessToken" TEXT NOT NULL,
    "userId" BIGINT,
    "firstName" TEXT,
    "lastName" TEXT,
    "email" TEXT,
    "accountOwner" BOOLEAN,
    "locale" TEXT,
    "collaborator" BOOLEAN,
    "emailVerified" BOOLEAN,
    "refreshToken" TEXT,
    "refreshTokenExpires" TIMESTAMP(3),

    CONSTRAINT "Session_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Store" (
    "id" SERIAL NOT NULL,
    "shopDomain" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "slug" TEXT NOT NULL,
    "referralCode" TEXT NOT NULL,
    "category" "StoreCategory" NOT NULL DEFAULT 'other',
    "status" "StoreStatus" NOT NULL DEFAULT 'pending',
    "statusReason" TEXT,
    "ownerEmail" TEXT,
    "clerkOwnerId" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "uninstalledAt" TIMESTAMPTZ(3),

    CONSTRAINT "Store_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "StoreReferral" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "storeId" INTEGER NOT NULL,
    "referralCode" TEXT NOT NULL,
    "status" "ReferralStatus" NOT NULL DEFAULT 'clicked',
    "referredUserId" TEXT,
    "utmParams" JSONB,
    "sourceUrl" TEXT,
    "channel" "ReferralChannel" NOT NULL DEFAULT 'link',
    "visitorHash" TEXT,
    "clickBucket" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "signedUpAt" TIMESTAMPTZ(3),
    "activatedAt" TIMESTAMPTZ(3),

    CONSTRAINT "StoreReferral_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "StoreDailyStat" (
    "storeId" INTEGER NOT NULL,
    "day" DATE NOT NULL,
    "clicks" INTEGER NOT NULL DEFAULT 0,
    "signups" INTEGER NOT NULL DEFAULT 0,
    "activations" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "StoreDailyStat_pkey" PRIMARY KEY ("storeId","day")
);

-- CreateTable
CREATE TABLE "ApiKey" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "storeId" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "prefix" TEXT NOT NULL,
    "hashedKey" TEXT NOT NULL,
    "scopes" TEXT[],
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastUsedAt" TIMESTAMPTZ(3),
    "revokedAt" TIMESTAMPTZ(3),

    CONSTRAINT "ApiKey_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ApiRateLimitWindow" (
    "bucketKey" TEXT NOT NULL,
    "windowStart" TIMESTAMPTZ(3) NOT NULL,
    "hits" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "ApiRateLimitWindow_pkey" PRIMARY KEY ("bucketKey","windowStart")
);

-- CreateTable
CREATE TABLE "WebhookDelivery" (
    "source" TEXT NOT NULL,
    "deliveryId" TEXT NOT NULL,
    "topic" TEXT NOT NULL,
    "shopDomain" TEXT,
    "receivedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "WebhookDelivery_pkey" PRIMARY KEY ("source","deliveryId")
);

-- CreateTable
CREATE TABLE "DemoUser" (
    "id" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "publicMetadata" JSONB NOT NULL DEFAULT '{}',
    "unsafeMetadata" JSONB NOT NULL DEFAULT '{}',
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "DemoUser_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Session_shop_idx" ON "Session"("shop");

-- CreateIndex
CREATE UNIQUE INDEX "Store_shopDomain_key" ON "Store"("shopDomain");

-- CreateIndex
CREATE UNIQUE INDEX "Store_slug_key" ON "Store"("slug");

-- CreateIndex
CREATE UNIQUE INDEX "Store_referralCode_key" ON "Store"("referralCode");

-- CreateIndex
CREATE UNIQUE INDEX "StoreReferral_referredUserId_key" ON "StoreReferral"("referredUserId");

-- CreateIndex
CREATE INDEX "StoreReferral_storeId_createdAt_id_idx" ON "StoreReferral"("storeId", "createdAt" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "StoreReferral_storeId_status_createdAt_idx" ON "StoreReferral"("storeId", "status", "createdAt" DESC);

-- CreateIndex
CREATE UNIQUE INDEX "StoreReferral_storeId_visitorHash_clickBucket_key" ON "StoreReferral"("storeId", "visitorHash", "clickBucket");

-- CreateIndex
CREATE UNIQUE INDEX "ApiKey_hashedKey_key" ON "ApiKey"("hashedKey");

-- CreateIndex
CREATE INDEX "ApiKey_storeId_idx" ON "ApiKey"("storeId");

-- CreateIndex
CREATE INDEX "ApiRateLimitWindow_windowStart_idx" ON "ApiRateLimitWindow"("windowStart");

-- CreateIndex
CREATE INDEX "WebhookDelivery_shopDomain_idx" ON "WebhookDelivery"("shopDomain");

-- CreateIndex
CREATE UNIQUE INDEX "DemoUser_email_key" ON "DemoUser"("email");

-- AddForeignKey
ALTER TABLE "StoreReferral" ADD CONSTRAINT "StoreReferral_storeId_fkey" FOREIGN KEY ("storeId") REFERENCES "Store"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "StoreDailyStat" ADD CONSTRAINT "StoreDailyStat_storeId_fkey" FOREIGN KEY ("storeId") REFERENCES "Store"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ApiKey" ADD CONSTRAINT "ApiKey_storeId_fkey" FOREIGN KEY ("storeId") REFERENCES "Store"("id") ON DELETE CASCADE ON UPDATE CASCADE;

