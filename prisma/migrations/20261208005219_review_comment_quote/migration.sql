-- AlterTable
ALTER TABLE "review_comment" ADD COLUMN     "quote" TEXT[] DEFAULT ARRAY[]::TEXT[];
