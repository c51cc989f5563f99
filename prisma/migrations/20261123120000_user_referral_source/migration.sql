-- CreateTable
CREATE TABLE "UserReferralSource" (
    "userId" TEXT NOT NULL,
    "referralCode" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "UserReferralSource_pkey" PRIMARY KEY ("userId")
);

