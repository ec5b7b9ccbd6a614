/**
 * The stored function `submit_order(customerId, [{productId, quantity}, ...])`,
 * written in FQL. One transaction: it checks its input, reads the customer and
 * every product, aborts the whole order when any line asks for more than is in
 * stock, otherwise takes the stock, flags products at or below their
 * backorder limit, and creates and returns the order.
 */
export const SUBMIT_ORDER_BODY = `
Query(Lambda(["customerId", "lines"],
  Do(
    // 1. The input must be well formed; nothing has been read or written yet.
    If(IsString(Var("customerId")), null,
      Abort("submit_order: customerId must be a String such as \\"101\\".")),
    If(IsArray(Var("lines")), null,
      Abort("submit_order: the order lines must be an Array of {productId, quantity}.")),
    If(IsEmpty(Var("lines")), Abort("submit_order: an order needs at least one line."), null),
    Foreach(Var("lines"), Lambda("line",
      If(
        And(
          IsObject(Var("line")),
          IsString(Select("productId", Var("line"), null)),
          IsNumber(Select("quantity", Var("line"), null))
        ),
        If(
          And(IsInteger(Select("quantity", Var("line"))), GT(Select("quantity", Var("line")), 0)),
          null,
          Abort(Concat([
            "submit_order: the quantity for Product [", Select("productId", Var("line")),
            "] must be a positive whole number."
          ]))
        ),
        Abort("submit_order: every line needs a productId (String) and a quantity (whole number).")
      )
    )),
    If(
      Equals(
        Count(Distinct(Map(Var("lines"), Lambda("line", Select("productId", Var("line")))))),
        Count(Var("lines"))
      ),
      null,
      Abort("submit_order: the same product appears on more than one line.")
    ),
    If(ContainsStrRegex(Var("customerId"), "^[0-9]{1,19}$"), null,
      Abort(Concat(["submit_order: Customer [", Var("customerId"), "] does not exist."]))),
    If(Exists(Ref(Collection("customers"), Var("customerId"))), null,
      Abort(Concat(["submit_order: Customer [", Var("customerId"), "] does not exist."]))),

    // 2. Read the customer and every product.
    Let(
      {
        customer: Get(Ref(Collection("customers"), Var("customerId"))),
        products: Map(Var("lines"), Lambda("line",
          Let(
            { productId: Select("productId", Var("line")) },
            If(
              And(
                ContainsStrRegex(Var("productId"), "^[0-9]{1,19}$"),
                Exists(Ref(Collection("products"), Var("productId")))
              ),
              Let(
                { product: Get(Ref(Collection("products"), Var("productId"))) },
                {
                  ref: Select("ref", Var("product")),
                  price: Select(["data", "price"], Var("product")),
                  currentQuantity: Select(["data", "quantity"], Var("product")),
                  requestedQuantity: Select("quantity", Var("line")),
                  backorderLimit: Select(["data", "backorderLimit"], Var("product"), 0),
                  backordered: Select(["data", "backordered"], Var("product"), false)
                }
              ),
              Abort(Concat(["submit_order: Product [", Var("productId"), "] does not exist."]))
            )
          )
        ))
      },
      Do(
        // 3. Every line must be in stock, or the whole order fails.
        Foreach(Var("products"), Lambda("product",
          If(
            LTE(Select("requestedQuantity", Var("product")), Select("currentQuantity", Var("product"))),
            null,
            Abort(Concat([
              "Stock quantity for Product [", Select(["ref", "id"], Var("product")),
              "] not enough – requested at [", ToString(Now()), "]"
            ]))
          )
        )),
        // 4. Take the stock; flag products at or below their backorder limit.
        Foreach(Var("products"), Lambda("product",
          Let(
            { remaining: Subtract(Select("currentQuantity", Var("product")), Select("requestedQuantity", Var("product"))) },
            Update(Select("ref", Var("product")), {
              data: {
                quantity: Var("remaining"),
                backordered: Or(
                  Select("backordered", Var("product")),
                  LTE(Var("remaining"), Select("backorderLimit", Var("product")))
                )
              }
            })
          )
        )),
        // 5. Create and return the order.
        Create(Collection("orders"), {
          data: {
            customer: Select("ref", Var("customer")),
            line: Map(Var("products"), Lambda("product", {
              product: Select("ref", Var("product")),
              quantity: Select("requestedQuantity", Var("product")),
              price: Select("price", Var("product"))
            })),
            status: "processing",
            creationDate: Now(),
            shipAddress: Select(["data", "address"], Var("customer")),
            creditCard: Select(["data", "creditCard"], Var("customer"))
          }
        })
      )
    )
  )
))
`;
